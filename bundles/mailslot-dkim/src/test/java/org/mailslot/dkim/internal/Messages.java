package org.mailslot.dkim.internal;

import java.nio.charset.StandardCharsets;

/** Test messages: CRLF line ends, as the spool holds them. */
final class Messages {

    private Messages() {
    }

    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] simple(String from) {
        return crlf("From: Alice <" + from + ">\n"
                + "To: Bob <bob@example.net>\n"
                + "Subject:   A   test \t of  DKIM\n"
                + "Date: Mon, 07 Dec 2026 04:00:00 +0000\n"
                + "Message-ID: <1@example.org>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=utf-8\n"
                + "\n"
                + "Hello Bob,  \n"
                + "\tthis is  a test.\n"
                + "\n\n");
    }

    /** @return a message with a body of about this many octets, of 76-character lines */
    static byte[] ofSize(String from, int size) {
        StringBuilder body = new StringBuilder(size + 100);
        int line = 0;
        while (body.length() < size) {
            body.append("Line ").append(line++).append(" of a message with  some   spaces and tabs\t in it, padded to 76..")
                    .append("\r\n");
        }
        return (new String(crlf("From: Alice <" + from + ">\nTo: bob@example.net\nSubject: size " + size
                + "\nDate: Mon, 07 Dec 2026 04:00:00 +0000\nMessage-ID: <" + size + "@example.org>\n\n"),
                StandardCharsets.UTF_8) + body).getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
