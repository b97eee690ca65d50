package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.crypto.CryptoStages;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.testing.peers.Gpg;
import org.mailslot.testing.peers.ToolRun;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * The crypto policy as an operator meets it: a recipient for whom encryption is required gets
 * nothing while no key or no OpenPGP bundle is there — the message waits in the spool and
 * {@code mailslot:queue} says why — and gets it PGP/MIME-encrypted as soon as there is.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CryptoIT extends MailslotTestSupport {

    private static final String POLICY_PID = "org.mailslot.crypto";
    private static final String DELIVERY_PID = "org.mailslot.delivery";
    private static final String RULE = "rule.crypto-it";
    private static final String OPENPGP = "org.mailslot.openpgp";
    private static final Pattern QUEUE_ID = Pattern.compile("(?m)^\\s*([0-9A-F]{8,})\\s+\\|");

    private final List<String> generatedKeys = new ArrayList<>();

    /**
     * Retries only after an hour, so that what sends a held message within the test is what it waited
     * for coming (a key stored, the bundle started), never its backoff; and the policy.
     */
    @Before
    public void requireEncryptionAndRetryOnlyWhenWoken() throws Exception {
        setConfiguration(DELIVERY_PID, Map.of("retry.initial", "1h", "retry.max", "1h"));
        await().until(() -> configurationsOf("org.mailslot.delivery").stream()
                .anyMatch(c -> "1h".equals(c.properties.get("retry.max")) && c.state == ComponentConfigurationDTO.ACTIVE));
        setConfiguration(POLICY_PID, Map.of(RULE, recipient() + " : encrypt=required"));
        // Until the policy is in force a message could leave in clear, and the test would prove nothing.
        await().until(() -> !policyProcessors("(" + RULE + "=*)").isEmpty());
    }

    @After
    public void restore() throws Exception {
        Bundle openpgp = openPgpBundle();
        if (openpgp.getState() != Bundle.ACTIVE) {
            openpgp.start();
        }
        for (String id : generatedKeys) {
            executeCommand("mailslot:key-remove " + id);
        }
        restoreConfigurations();
    }

    @Test
    public void withoutAKeyTheMessageWaitsAndAGeneratedKeySendsItEncryptedAtOnce() throws Exception {
        awaitOpenPgpActive();
        String id = sendAndAwaitHeldForAKey("without a key", "the launch code is 0000");

        String generated = executeCommand("mailslot:key-generate " + recipient());
        generatedKeys.add(keyId(generated));

        String delivered = await().until(() -> messageWithSubject("without a key"), found -> found != null);
        assertEncryptedFor(delivered, "the launch code is 0000");
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:queue")).doesNotContain(id));
    }

    /** The recipient's own GnuPG key, imported with key-import, sends the held message; GnuPG reads it. */
    @Test
    public void anImportedKeySendsTheHeldMessageAtOnceAndTheRecipientsGnupgDecryptsIt() throws Exception {
        awaitOpenPgpActive();
        String id = sendAndAwaitHeldForAKey("until imported", "the ferry leaves at nine");

        Path dir = Files.createTempDirectory("crypto-it-");
        try (Gpg gpg = Gpg.inHome(dir.resolve("gnupg"))) {
            String fingerprint = gpg.generateKey("<" + recipient() + ">", "1d");
            Path publicKey = dir.resolve("crypto-it-recipient.asc");
            Files.write(publicKey, gpg.exportPublic(fingerprint));
            String imported = executeCommand("mailslot:key-import " + inShellFiles(publicKey));
            generatedKeys.add(keyId(imported));

            String delivered = await().until(() -> messageWithSubject("until imported"), found -> found != null);
            Matcher armored = Pattern.compile("(?s)-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----")
                    .matcher(delivered);
            assertThat(armored.find()).as("an OpenPGP message in: " + delivered).isTrue();
            assertThat(delivered).doesNotContain("the ferry leaves at nine");
            ToolRun decrypted = gpg.decrypt(armored.group().getBytes(StandardCharsets.US_ASCII));
            assertThat(decrypted.succeeded()).as(decrypted.describe()).isTrue();
            assertThat(decrypted.stdoutText()).contains("the ferry leaves at nine");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:queue")).doesNotContain(id));
    }

    /** @return the queue id of a message the policy holds for want of the recipient's key */
    private String sendAndAwaitHeldForAKey(String subject, String body) throws Exception {
        String id = send(subject, body);
        await().until(() -> queueLine(id).contains("no pgp key") || messageWithSubject(subject) != null);
        assertThat(messageWithSubject(subject)).as("delivered without a key").isNull();
        assertThat(queueLine(id)).contains("encryption required for " + recipient() + ": no pgp key");
        return id;
    }

    @Test
    public void whileTheOpenPgpBundleIsStoppedTheMessageWaitsAndGoesWhenItStarts() throws Exception {
        awaitOpenPgpActive();
        String generated = executeCommand("mailslot:key-generate " + recipient());
        generatedKeys.add(keyId(generated));
        Bundle openpgp = openPgpBundle();
        openpgp.stop();
        await().until(() -> bundleContext.getServiceReferences(MessageCrypto.class,
                "(" + MessageCrypto.TECHNOLOGY + "=pgp)").isEmpty());

        String id = send("while stopped", "the vault opens at dawn");

        await().until(() -> queueLine(id).contains("mailslot-openpgp not available")
                || messageWithSubject("while stopped") != null);
        assertThat(messageWithSubject("while stopped")).as("delivered while mailslot-openpgp was stopped").isNull();
        assertThat(queueLine(id)).contains("encryption required for " + recipient() + ": mailslot-openpgp not available");

        openpgp.start();

        String delivered = await().until(() -> messageWithSubject("while stopped"), found -> found != null);
        assertEncryptedFor(delivered, "the vault opens at dawn");
    }

    @Test
    public void directDeliveryWouldSkipThePolicyAndIsRefused() throws Exception {
        awaitOpenPgpActive();

        String refused = executeCommandExpectingFailure("mailslot:send --direct --from ops@localhost --to " + recipient()
                + " --subject \"sent directly\" --body \"the safe combination\"");

        assertThat(refused).contains("--direct would skip the outbound pipeline, but crypto-policy must run: the crypto"
                + " policy encrypts mail to " + recipient() + " (encrypt=required). Nothing was sent");
        assertThat(messageWithSubject("sent directly")).isNull();
    }

    /** PGP/MIME, nothing of the plaintext, and our own secret key opens it to the plaintext. */
    private void assertEncryptedFor(String delivered, String plaintext) throws Exception {
        assertThat(delivered).containsPattern("(?i)Content-Type: multipart/encrypted;\\s*protocol=\"application/pgp-encrypted\"")
                .contains("-----BEGIN PGP MESSAGE-----")
                .doesNotContain(plaintext)
                .doesNotContain("Mailslot-Protect");
        ServiceReference<MessageCrypto> reference = await().until(() -> bundleContext
                .getServiceReferences(MessageCrypto.class, "(" + MessageCrypto.TECHNOLOGY + "=pgp)").stream().findFirst()
                .orElse(null), found -> found != null);
        MessageCrypto pgp = bundleContext.getService(reference);
        try {
            OpenedMessage opened = pgp.open(MessageSource.of(delivered.getBytes(StandardCharsets.UTF_8)));
            assertThat(opened.decrypted()).isTrue();
            try (var in = opened.content().open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(plaintext);
            }
        } finally {
            bundleContext.ungetService(reference);
        }
    }

    private String send(String subject, String body) {
        String output = executeCommand("mailslot:send --from ops@localhost --to " + recipient() + " --subject \""
                + subject + "\" --body \"" + body + "\"");
        Matcher matcher = QUEUE_ID.matcher(output);
        assertThat(matcher.find()).as("a queue id in: " + output).isTrue();
        return matcher.group(1);
    }

    /** @return the queue's line for the message, or "" once it has left the queue */
    private String queueLine(String id) {
        return executeCommand("mailslot:queue").lines().filter(line -> line.contains(id) && line.contains(recipient()))
                .findFirst().orElse("");
    }

    private static String keyId(String keyTable) {
        Matcher matcher = Pattern.compile("(?m)^\\s*pgp\\s+\\|\\s+([0-9A-Fa-f]+)\\s").matcher(keyTable);
        assertThat(matcher.find()).as("a key id in: " + keyTable).isTrue();
        return matcher.group(1);
    }

    private Bundle openPgpBundle() {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> OPENPGP.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(OPENPGP + " is not installed"));
    }

    private void awaitOpenPgpActive() {
        await().until(() -> !bundleContext.getServiceReferences(MessageCrypto.class,
                "(" + MessageCrypto.TECHNOLOGY + "=pgp)").isEmpty());
    }

    private Collection<ServiceReference<MessageProcessor>> policyProcessors(String filter) throws Exception {
        return bundleContext.getServiceReferences(MessageProcessor.class,
                "(&(" + MessageProcessor.NAME + "=" + CryptoStages.POLICY + ")" + filter + ")");
    }

    /** The one recipient the policy rule names; the tests tell their messages apart by subject. */
    private static String recipient() {
        return "crypto-it@localhost";
    }

    private static Path inbox() {
        return Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes", recipient(), "new");
    }

    private static String messageWithSubject(String subject) throws IOException {
        return messagesIn(inbox()).stream().filter(message -> message.contains("Subject: " + subject)).findFirst()
                .orElse(null);
    }

    private static List<String> messagesIn(Path maildir) throws IOException {
        if (!Files.isDirectory(maildir)) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir)) {
            for (Path file : files.toList()) {
                messages.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return messages;
    }
}
