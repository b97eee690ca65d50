package org.mailslot.smime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.slf4j.LoggerFactory;

/** Shared test material: one CA, Alice (EC) and Bob (RSA), and a Mailslot store for each. */
final class Fixture {

    static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    static final MailAddress BOB = MailAddress.parse("bob@example.net");
    static final char[] P12_PASSWORD = "p12-secret".toCharArray();

    final TestPki ca;
    final TestPki.Issued alice;
    final TestPki.Issued bob;

    private static Fixture shared;

    private Fixture() throws Exception {
        ca = new TestPki("Mailslot Test Mail CA");
        alice = ca.issue(ALICE.toString(), TestPki.Key.EC);
        bob = ca.issue(BOB.toString(), TestPki.Key.RSA);
    }

    static synchronized Fixture get() throws Exception {
        if (shared == null) {
            shared = new Fixture();
        }
        return shared;
    }

    /** A component over a fresh etc directory, with the given identity, the CA (trusted) and the other certificates imported. */
    SmimeComponent store(Path etc, TestConfig config, Clock clock, TestPki.Issued identity, TestPki.Issued... others) throws Exception {
        SmimeComponent component = new SmimeComponent(config, etc.toString(), clock, LoggerFactory.getLogger("test"));
        if (identity != null) {
            component.importKeys(identity.pkcs12(P12_PASSWORD), P12_PASSWORD);
        }
        component.importKeys(ca.certificatePem().getBytes(StandardCharsets.US_ASCII), null, true);
        for (TestPki.Issued other : others) {
            component.importKeys(other.certificatePem().getBytes(StandardCharsets.US_ASCII), null);
        }
        return component;
    }

    SmimeComponent store(Path etc, TestPki.Issued identity, TestPki.Issued... others) throws Exception {
        return store(etc, new TestConfig().passphrase("test-passphrase"), Clock.systemUTC(), identity, others);
    }

    static byte[] message(String from, String to, String body) {
        return ("From: Alice <" + from + ">\r\n"
                + "To: " + to + "\r\n"
                + "Subject: quarterly numbers\r\n"
                + "Date: Sat, 28 Nov 2026 03:00:00 +0000\r\n"
                + "Message-ID: <m1@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] protect(SmimeComponent component, Protection protection, byte[] message) throws Exception {
        return bytes(component.protect(ALICE, List.of(BOB), protection, MessageSource.of(message)));
    }

    static byte[] bytes(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    static String text(OpenedMessage opened) throws IOException {
        return new String(bytes(opened.content()), StandardCharsets.UTF_8);
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
