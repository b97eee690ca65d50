package org.mailslot.support.maillog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.mailslot.api.mail.MessageSource;

/** Finds a message's {@code Message-ID} field for the mail log, looking no further than its header section. */
public final class MessageIdField {

    /** Longest value kept; the rest of a longer one is cut (RFC 5322 lines end at 998 octets). */
    static final int MAX_LENGTH = 998;
    /** Header octets looked at, at most: a field past them is not found. */
    public static final int MAX_HEADER = 64 * 1024;
    private static final byte[] NAME = "message-id:".getBytes(StandardCharsets.US_ASCII);

    private MessageIdField() {
    }

    /** @return the unfolded value of the first {@code Message-ID} field, trimmed; empty when there is none */
    public static String of(MessageSource message) throws IOException {
        try (InputStream in = message.open()) {
            byte[] start = in.readNBytes(MAX_HEADER);
            return of(start, 0, start.length);
        }
    }

    /** @return the same as {@link #of(MessageSource)}, for a message (or its start) from {@code from} to before {@code to} */
    public static String of(byte[] octets, int from, int to) {
        int end = Math.min(to, from + MAX_HEADER);
        int line = from;
        while (line < end) {
            int next = lineEnd(octets, line, end);
            if (next - line <= 2 && (octets[line] == '\r' || octets[line] == '\n')) {
                return "";
            }
            if (named(octets, line, end)) {
                return value(octets, line + NAME.length, end);
            }
            line = next;
        }
        return "";
    }

    private static boolean named(byte[] octets, int at, int end) {
        if (end - at < NAME.length) {
            return false;
        }
        for (int i = 0; i < NAME.length; i++) {
            int c = octets[at + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != NAME[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the field's value from {@code at}, its continuation lines joined, CR and LF left out */
    private static String value(byte[] octets, int at, int end) {
        StringBuilder value = new StringBuilder();
        for (int i = at; i < end && value.length() < MAX_LENGTH; i++) {
            int c = octets[i] & 0xff;
            if (c == '\n') {
                if (i + 1 >= end || octets[i + 1] != ' ' && octets[i + 1] != '\t') {
                    break;
                }
            } else if (c != '\r') {
                value.append((char) c);
            }
        }
        return value.toString().strip();
    }

    /** @return the index after the LF that ends the line at {@code from}, or {@code end} */
    private static int lineEnd(byte[] octets, int from, int end) {
        for (int i = from; i < end; i++) {
            if (octets[i] == '\n') {
                return i + 1;
            }
        }
        return end;
    }
}
