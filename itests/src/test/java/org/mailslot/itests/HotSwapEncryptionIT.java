package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.mail.MailAddress;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;

/**
 * The crypto policy requires encryption for one recipient; {@code mailslot-openpgp} is stopped and
 * started again while clients keep submitting for that recipient and for another. Meanwhile that
 * recipient's mail waits in the spool, and {@code mailslot:status} says for what; afterwards every
 * acknowledged message has arrived exactly once, and none for that recipient was ever stored in clear.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class HotSwapEncryptionIT extends LoadTestSupport {

    private static final String CRYPTO_PID = "org.mailslot.crypto";
    private static final String RULE = "rule.hotswap";
    private static final String SECRET = "secret@localhost";
    private static final String PLAIN = "plain@localhost";

    private SubmissionLoad load;

    @After
    public void putThingsBack() throws Exception {
        if (load != null) {
            load.close();
        }
        bundle("org.mailslot.openpgp").filter(b -> b.getState() != Bundle.ACTIVE).ifPresent(b -> {
            try {
                b.start();
            } catch (org.osgi.framework.BundleException e) {
                throw new IllegalStateException(e);
            }
        });
        org.osgi.service.cm.Configuration policy = configurationAdmin.getConfiguration(CRYPTO_PID, "?");
        Dictionary<String, Object> properties = policy.getProperties();
        if (properties != null && properties.get(RULE) != null) {
            properties.remove(RULE);
            policy.update(properties);
        }
    }

    @Test
    public void encryptionRequiredMailWaitsWhileOpenPgpIsStoppedAndIsNeverStoredInClear() throws Exception {
        CryptoKeys keys = await().until(() -> service(CryptoKeys.class, "(" + MessageCrypto.TECHNOLOGY + "=pgp)")
                .orElse(null), found -> found != null);
        if (keys.find(SECRET).isEmpty()) {
            keys.generate(MailAddress.parse(SECRET));
        }
        requireEncryptionFor(SECRET);
        moveListener(submissionPort());

        load = new SubmissionLoad("encrypted", submissionPort(), TEST_USER, TEST_PASSWORD,
                n -> n % 2 == 0 ? SECRET : PLAIN);
        load.start(2);
        awaitMoreAcknowledged(load, 20);
        await().until(() -> !storedFor(SECRET).isEmpty());

        Bundle openpgp = bundle("org.mailslot.openpgp").orElseThrow();
        openpgp.stop();
        await().until(() -> service(MessageCrypto.class, "(" + MessageCrypto.TECHNOLOGY + "=pgp)").isEmpty());
        awaitMoreAcknowledged(load, 30);
        await().untilAsserted(() -> assertThat(status()).containsPattern(
                "(?m)^\\s*\\d+ \\| encryption required for " + SECRET + ": mailslot-openpgp not available"));
        openpgp.start();
        await().until(() -> service(MessageCrypto.class, "(" + MessageCrypto.TECHNOLOGY + "=pgp)").isPresent());
        awaitMoreAcknowledged(load, 20);

        load.close();
        List<SubmissionLoad.Acknowledged> acknowledged = load.acknowledged();
        // No operator's flush: OpenPGP's return wakes the mail held for it, also a message whose attempt
        // was under way (and found OpenPGP missing) when it came back; the retry interval is minutes.
        await().atMost(java.time.Duration.ofSeconds(90)).untilAsserted(() -> {
            Set<String> delivered = copies().keySet();
            assertThat(acknowledged).allSatisfy(message -> assertThat(delivered).contains(message.messageId()));
        });

        Map<String, Long> copies = copies();
        assertThat(acknowledged).allSatisfy(message ->
                assertThat(copies.get(message.messageId())).as(message.toString()).isEqualTo(1L));
        assertThat(storedFor(SECRET)).isNotEmpty().allSatisfy(content -> assertThat(content)
                .as("stored for " + SECRET).containsPattern("(?i)Content-Type: multipart/encrypted")
                .doesNotContain("ENCRYPTED-BODY-"));
        assertThat(storedFor(PLAIN)).isNotEmpty().allSatisfy(content -> assertThat(content).contains("ENCRYPTED-BODY-"));
        assertThat(load.unanswered()).as("replies: " + load.replyCounts()).isEmpty();
    }

    private void requireEncryptionFor(String recipient) throws Exception {
        org.osgi.service.cm.Configuration policy = configurationAdmin.getConfiguration(CRYPTO_PID, "?");
        Dictionary<String, Object> properties = policy.getProperties() == null ? new Hashtable<>() : policy.getProperties();
        properties.put(RULE, recipient + " : encrypt=required technology=pgp");
        policy.update(properties);
    }

    /** @return the content of every message of this load in the recipient's Maildir */
    private List<String> storedFor(String recipient) throws Exception {
        return DeliveredMessages.under(mailboxes()).stream()
                .filter(message -> message.mailbox().equals(recipient) && message.messageId().startsWith("<encrypted-"))
                .map(DeliveredMessages.Delivered::content).toList();
    }

    private Map<String, Long> copies() throws Exception {
        return DeliveredMessages.under(mailboxes()).stream().map(DeliveredMessages.Delivered::messageId)
                .filter(id -> id.startsWith("<encrypted-"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
