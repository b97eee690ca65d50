package org.mailslot.openpgp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.Crlf;
import org.mailslot.testing.peers.ComponentConfig;
import org.slf4j.LoggerFactory;

/** Builds the OpenPGP component over a temporary {@code etc}, and test messages. */
final class OpenPgpFixture {

    final Path etc;
    final AdjustableClock clock;
    final OpenPgpService service;

    OpenPgpFixture(Path etc) throws IOException {
        this(etc, Map.of());
    }

    OpenPgpFixture(Path etc, Map<String, ?> config) throws IOException {
        this(etc, config, new AdjustableClock());
    }

    OpenPgpFixture(Path etc, Map<String, ?> config, AdjustableClock clock) throws IOException {
        this.etc = etc;
        this.clock = clock;
        this.service = new OpenPgpService(ComponentConfig.of(OpenPgpService.Config.class, new HashMap<>(config)),
                etc.toString(), clock, LoggerFactory.getLogger(OpenPgpService.class));
    }

    static MailAddress address(String text) {
        return MailAddress.parse(text);
    }

    static byte[] message(String from, String to, String body) {
        return ("From: Sender <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Date: Sat, 28 Nov 2026 03:00:00 +0000\r\n"
                + "Subject: test message\r\n"
                + "Message-ID: <test-" + System.nanoTime() + "@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    static String text(MessageSource source) throws IOException {
        return new String(bytes(source), StandardCharsets.UTF_8);
    }

    /** @return a PGP/MIME encrypted message around armored OpenPGP data that some tool produced */
    static byte[] pgpMimeEncrypted(String from, String to, byte[] armored) {
        String head = "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: from a tool\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--b1--\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), crlf(armored), tail.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return a PGP/MIME signed message around an entity and a detached signature a tool made over it */
    static byte[] pgpMimeSigned(String from, byte[] entity, byte[] signature) {
        String head = "From: <" + from + ">\r\nTo: <bob@example.org>\r\nSubject: signed by a tool\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\";"
                + " boundary=\"s1\"\r\n\r\n--s1\r\n";
        String middle = "\r\n--s1\r\nContent-Type: application/pgp-signature\r\n\r\n";
        String tail = "\r\n--s1--\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), entity, middle.getBytes(StandardCharsets.US_ASCII),
                crlf(signature), tail.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] crlf(byte[] bytes) {
        return Crlf.canonical(bytes);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
