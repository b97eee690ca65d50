package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoStages;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * Mail protected by tools no one here wrote, end to end: GnuPG signs and encrypts to a key Mailslot
 * generated, {@code openssl cms} signs and encrypts (AuthEnvelopedData) to a certificate Mailslot
 * generated; both messages land in a real Dovecot, an IMAP account fetches them, and a
 * {@link MessageHandler} service gets the decrypted content with a VALID verification naming the
 * sender.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class InboundCryptoIT extends MailslotTestSupport {

    private static final MailAddress US = MailAddress.parse("inbound-it@example.org");
    private static final String GPG_SENDER = "gpg-sender@example.org";
    private static final String OPENSSL_SENDER = "openssl-sender@example.org";

    @Test
    public void messagesSignedAndEncryptedByGpgAndOpensslReachAHandlerDecryptedAndValid() throws Exception {
        // Short: Dovecot's and gpg-agent's Unix sockets live under it, and their paths are limited.
        Path dir = Files.createTempDirectory("icit-");
        await().until(() -> !bundleContext.getServiceReferences(InboundProcessor.class,
                "(" + InboundProcessor.NAME + "=" + CryptoStages.OPEN + ")").isEmpty());
        try (RetrievalIT.Dovecot dovecot = RetrievalIT.Dovecot.start(dir)) {
            List<Runnable> cleanups = new ArrayList<>();
            try {
                exchange(dir, dovecot, cleanups);
            } finally {
                // Before Dovecot's close removes the directory: the agent's socket and the tools' files are in it.
                deleteCreatedConfigurations();
                for (int i = cleanups.size() - 1; i >= 0; i--) {
                    try {
                        cleanups.get(i).run();
                    } catch (RuntimeException | AssertionError e) {
                        // the others still run
                    }
                }
            }
        }
    }

    private void exchange(Path dir, RetrievalIT.Dovecot dovecot, List<Runnable> cleanups) throws Exception {
        CryptoKeys pgp = keys("pgp");
        CryptoKeys smime = keys("smime");
        KeyInfo ourPgp = pgp.generate(US);
        cleanups.add(() -> pgp.remove(ourPgp.id()));
        KeyInfo ourSmime = smime.generate(US);
        cleanups.add(() -> smime.remove(ourSmime.id()));

        Path gnupg = Files.createDirectory(dir.resolve("g"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        cleanups.add(() -> run(dir, Map.of("GNUPGHOME", gnupg.toString()), null, "gpgconf", "--kill", "gpg-agent"));
        String gpgMessage = fromGpg(dir, gnupg, pgp, ourPgp);
        String opensslMessage = fromOpenssl(dir, smime, ourSmime);
        cleanups.addAll(importedSenders(pgp, smime));

        org.osgi.service.cm.Configuration tls = configurationAdmin.getConfiguration("org.mailslot.tls", null);
        Dictionary<String, Object> original = tls.getProperties();
        Hashtable<String, Object> trusting = new Hashtable<>();
        if (original != null) {
            for (var keys = original.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                trusting.put(key, original.get(key));
            }
        }
        trusting.put("trust.pem", dovecot.certificate.toString());
        tls.update(trusting);
        cleanups.add(() -> {
            try {
                if (original == null) {
                    tls.delete();
                } else {
                    tls.update(original);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        List<RetrievedMessage> handled = new CopyOnWriteArrayList<>();
        ServiceRegistration<MessageHandler> registration = bundleContext.registerService(MessageHandler.class,
                handled::add, new Hashtable<>(Map.of(MessageHandler.NAME, "inbound-crypto-it")));
        cleanups.add(registration::unregister);

        dovecot.deliver(gpgMessage);
        dovecot.deliver(opensslMessage);
        createFactoryConfiguration("org.mailslot.account", "inbound-crypto", Map.of("protocol", "imap",
                "host", RetrievalIT.Dovecot.ADDRESS, "port", "993", "username", "itest",
                ".password", "itest-secret-1", "poll.interval", "5s"));

        try {
            await().untilAsserted(() -> assertThat(handled).hasSize(2));
        } catch (org.awaitility.core.ConditionTimeoutException | AssertionError e) {
            // Without a cause: what Pax Exam hands back is the innermost exception only.
            throw new AssertionError(handled.size() + " of 2 messages handled (" + e.getMessage() + "); "
                    + executeCommand("mailslot:accounts") + "\nopening directly:\n" + openDirectly(gpgMessage)
                    + openDirectly(opensslMessage) + "\nkaraf.log:\n" + logTail());
        }
        assertOpened(handled, "signed and encrypted by gpg", GPG_SENDER, "Attack at dawn, says GnuPG.");
        assertOpened(handled, "signed and encrypted by openssl", OPENSSL_SENDER, "Attack at dusk, says OpenSSL.");
    }

    private static void assertOpened(List<RetrievedMessage> handled, String subject, String sender, String plaintext)
            throws IOException {
        RetrievedMessage message = handled.stream().filter(m -> text(m).contains("Subject: " + subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no message '" + subject + "' among " + handled.size()));
        assertThat(message.openFailure()).as(subject).isEmpty();
        OpenedMessage opened = message.opened().orElseThrow(() -> new AssertionError(subject + " was not opened"));
        assertThat(opened.decrypted()).as(subject).isTrue();
        assertThat(opened.integrityChecked()).as(subject).isTrue();
        assertThat(opened.verification().status()).as(subject + ": " + opened.verification().detail())
                .isEqualTo(VerificationStatus.VALID);
        assertThat(opened.verification().signerAddresses()).contains(MailAddress.parse(sender));
        assertThat(text(message)).contains(plaintext).contains("From: <" + sender + ">");
    }

    /** GnuPG's own key for the sender; Mailslot's public key imported into it; signed and encrypted by gpg. */
    private String fromGpg(Path dir, Path gnupg, CryptoKeys pgp, KeyInfo ours) throws Exception {
        Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString());
        String[] batch = {"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""};
        run(dir, env, null, concat(batch, "--quick-gen-key", "<" + GPG_SENDER + ">", "ed25519", "sign", "1y"));
        String listing = run(dir, env, null, "gpg", "--with-colons", "--list-keys", "=<" + GPG_SENDER + ">");
        String fingerprint = listing.lines().filter(line -> line.startsWith("fpr:")).findFirst().orElseThrow()
                .split(":")[9];
        run(dir, env, null, concat(batch, "--quick-add-key", fingerprint, "cv25519", "encr", "1y"));
        run(dir, env, pgp.exportPublic(ours.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII),
                "gpg", "--batch", "--import");
        Path senderKey = dir.resolve("gpg-sender.asc");
        Files.writeString(senderKey, run(dir, env, null, "gpg", "--armor", "--export", fingerprint));
        assertThat(executeCommand("mailslot:key-import " + inShellFiles(senderKey))).contains(GPG_SENDER);

        String entity = "Content-Type: text/plain; charset=us-ascii\r\n\r\nAttack at dawn, says GnuPG.\r\n";
        String armored = run(dir, env, entity.getBytes(StandardCharsets.US_ASCII), concat(batch, "--armor",
                "--trust-model", "always", "--local-user", fingerprint, "--recipient", US.toString(), "--sign", "--encrypt"));
        return crlf("From: <" + GPG_SENDER + ">\r\nTo: <" + US + ">\r\nSubject: signed and encrypted by gpg\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"g1\"\r\n\r\n"
                + "--g1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--g1\r\nContent-Type: application/octet-stream\r\n\r\n" + armored + "\r\n--g1--\r\n");
    }

    /** A self-signed sender certificate made by openssl, trusted explicitly; signed, then encrypted, by openssl cms. */
    private String fromOpenssl(Path dir, CryptoKeys smime, KeyInfo ours) throws Exception {
        Path config = dir.resolve("sender.cnf");
        Files.writeString(config, String.join("\n", "[req]", "distinguished_name = dn", "x509_extensions = ext",
                "prompt = no", "[dn]", "CN = " + OPENSSL_SENDER, "[ext]", "basicConstraints = critical,CA:FALSE",
                "keyUsage = critical,digitalSignature,keyEncipherment", "extendedKeyUsage = emailProtection",
                "subjectAltName = email:" + OPENSSL_SENDER, "subjectKeyIdentifier = hash", ""));
        Path certificate = dir.resolve("sender.pem");
        Path key = dir.resolve("sender.key");
        run(dir, Map.of(), null, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-config",
                config.toString(), "-keyout", key.toString(), "-out", certificate.toString());
        // Imported without --trust it would only be encrypted to; its signatures would be UNKNOWN_KEY.
        assertThat(executeCommand("mailslot:key-import --trust " + inShellFiles(certificate))).contains(OPENSSL_SENDER);
        Path ourCertificate = dir.resolve("mailslot.pem");
        Files.writeString(ourCertificate, smime.exportPublic(ours.id()).orElseThrow());

        Path entity = dir.resolve("entity.txt");
        Files.writeString(entity, "Content-Type: text/plain; charset=us-ascii\r\n\r\nAttack at dusk, says OpenSSL.\r\n");
        Path signed = dir.resolve("signed.eml");
        run(dir, Map.of(), null, "openssl", "cms", "-sign", "-in", entity.toString(), "-signer", certificate.toString(),
                "-inkey", key.toString(), "-md", "sha256", "-out", signed.toString());
        Path encrypted = dir.resolve("encrypted.eml");
        run(dir, Map.of(), null, "openssl", "cms", "-encrypt", "-aes-256-gcm", "-in", signed.toString(), "-out",
                encrypted.toString(), "-recip", ourCertificate.toString());
        String smimeMessage = Files.readString(encrypted, StandardCharsets.US_ASCII);
        assertThat(smimeMessage).contains("application/pkcs7-mime").doesNotContain("Attack at dusk");
        return crlf("From: <" + OPENSSL_SENDER + ">\r\nTo: <" + US + ">\r\nSubject: signed and encrypted by openssl\r\n"
                + smimeMessage);
    }

    private List<Runnable> importedSenders(CryptoKeys pgp, CryptoKeys smime) {
        List<Runnable> removals = new ArrayList<>();
        for (CryptoKeys store : List.of(pgp, smime)) {
            for (String sender : List.of(GPG_SENDER, OPENSSL_SENDER)) {
                for (KeyInfo key : store.find(sender)) {
                    removals.add(() -> store.remove(key.id()));
                }
            }
        }
        return removals;
    }

    private CryptoKeys keys(String technology) {
        ServiceReference<CryptoKeys> reference = await().until(() -> bundleContext.getServiceReferences(CryptoKeys.class,
                "(" + MessageCrypto.TECHNOLOGY + "=" + technology + ")").stream().findFirst().orElse(null), r -> r != null);
        return bundleContext.getService(reference);
    }

    private static String text(RetrievedMessage message) {
        try (InputStream in = message.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return what the crypto-open stage makes of a message, or how it fails, for a failure's report */
    private String openDirectly(String message) {
        try {
            InboundProcessor processor = bundleContext.getService(bundleContext.getServiceReferences(InboundProcessor.class,
                    "(" + InboundProcessor.NAME + "=" + CryptoStages.OPEN + ")").iterator().next());
            RetrievedMessage opened = processor.process(RetrievedMessage.fetched("direct", "INBOX", "1",
                    java.time.Instant.now(), org.mailslot.api.mail.MessageSource.of(message.getBytes(StandardCharsets.UTF_8))));
            return opened.opened().map(o -> "opened: " + o.verification()).orElse("not opened: " + opened.openFailure()) + "\n";
        } catch (Throwable e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return trace + "\n";
        }
    }

    private static String logTail() {
        try {
            List<String> lines = Files.readAllLines(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
            List<String> relevant = lines.stream().filter(line -> line.contains("mailslot") || line.contains("Exception")
                    || line.contains("WARN") || line.contains("ERROR")).toList();
            return String.join("\n", relevant.subList(Math.max(0, relevant.size() - 200), relevant.size()));
        } catch (IOException e) {
            return "(no karaf.log: " + e + ")";
        }
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** Runs a tool with its output in a file (an agent it starts keeps pipes open); @return its standard output. */
    private static String run(Path dir, Map<String, String> env, byte[] stdin, String... command) {
        try {
            Path out = Files.createTempFile(dir, "out-", ".txt");
            Path err = Files.createTempFile(dir, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
