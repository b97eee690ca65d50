package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailslot.api.auth.AuthVerdict;
import org.mailslot.api.auth.DmarcCheck;
import org.mailslot.api.auth.DmarcPolicy;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfIdentity;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.NonBlockingSubmission;

/**
 * The hook at the end of DATA on a relay listener: the verdict of the sender checks (mailslot-auth's
 * service, here one that answers as told) becomes the reply, and the results go on top of what is
 * stored. The checks themselves are mailslot-auth's tests and SenderAuthIT.
 */
class SenderCheckTest extends ListenerTestSupport {

    /** Answers with a set verdict and remembers what it was asked. */
    static final class Verdicts implements SenderAuthenticator {
        volatile AuthVerdict verdict = AuthVerdict.ACCEPT;
        volatile String asked;
        volatile byte[] message;
        volatile long spilledWhileChecking;
        volatile RuntimeException failStamping;

        @Override
        public SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom,
                MessageSource source) throws IOException {
            try (InputStream in = source.open()) {
                message = in.readAllBytes();
            }
            for (Path spill : IncomingMessageTest.spills()) {
                spilledWhileChecking = Math.max(spilledWhileChecking, Files.size(spill));
            }
            asked = client.map(InetAddress::getHostAddress).orElse("") + " " + helo + " " + mailFrom;
            SpfCheck spf = new SpfCheck(SpfIdentity.MAILFROM, "bank.example", mailFrom, SpfResult.FAIL, "");
            DmarcCheck dmarc = new DmarcCheck("bank.example", "bank.example", DmarcResult.FAIL, Optional.of(DmarcPolicy.REJECT),
                    DmarcPolicy.REJECT, false, false, "");
            return new SenderAuthentication("mx.example.test", spf, spf, new DkimVerification(List.of()),
                    new ArcVerification(ArcResult.NONE, 0, "", ""), dmarc, verdict,
                    "Authentication-Results: mx.example.test; dmarc=fail header.from=bank.example\r\n");
        }

        @Override
        public String authservId() {
            return "mx.example.test";
        }

        @Override
        public byte[] withoutClaimedResults(byte[] octets) {
            if (failStamping != null) {
                throw failStamping;
            }
            String text = new String(octets, StandardCharsets.UTF_8);
            return text.replace("Authentication-Results: mx.example.test; dmarc=pass\r\n", "").getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Verdicts checks = new Verdicts();

    /** A relay listener as configured by default (sender.checks unset), with the checker registered. */
    private Listener relay() {
        Listener listener = start(RELAY, "sender.checks", null);
        listener.senderAuthenticator(checks);
        return listener;
    }

    @Test
    void withoutACheckerARelayListenerRefusesAtMailWith451AndStoresNothing() throws Exception {
        Listener listener = start(RELAY, "sender.checks", null);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<ceo@bank.example>")).isEqualTo(SenderCheck.UNAVAILABLE);
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).startsWith("503 5.5.1");
            assertThat(client.command("DATA")).startsWith("503 5.5.1");
        }
        assertThat(spool.stored).isEmpty();
        assertThat(listener.status().detail()).contains("no sender checks").contains("451 4.7.1");
    }

    @Test
    void aCheckThatBreaksRefusesTheMessageWith451AndTheSessionGoesOn() throws Exception {
        Listener listener = start(RELAY, "sender.checks", null);
        Verdicts broken = new Verdicts();
        broken.failStamping = new IllegalStateException("a bug in the checker");
        listener.senderAuthenticator(broken);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@bank.example", "postmaster@example.test", "From: a@bank.example\r\n\r\nx\r\n"))
                    .isEqualTo(SenderCheck.FAILED);
            assertThat(spool.stored).isEmpty();

            listener.senderAuthenticator(checks);
            assertThat(send(client, "a@bank.example", "postmaster@example.test", "From: a@bank.example\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void aCheckerThatGoesAwayDuringTheTransactionGives451NeverA250AndOneThatReturnsChecks() throws Exception {
        Listener listener = relay();
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<a@bank.example>")).startsWith("250 2.1.0");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).startsWith("250 2.1.5");
            assertThat(client.command("DATA")).startsWith("354");
            listener.senderAuthenticator(null);
            client.raw("From: a@bank.example\r\n\r\nx\r\n.\r\n");
            assertThat(client.reply()).isEqualTo(SenderCheck.UNAVAILABLE);
            assertThat(spool.stored).isEmpty();

            listener.senderAuthenticator(checks);
            assertThat(send(client, "a@bank.example", "postmaster@example.test", "From: a@bank.example\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).hasSize(1);
        assertThat(spool.stored.get(0).text()).contains("\r\nAuthentication-Results: mx.example.test;");
        assertThat(listener.status().detail()).isEmpty();
    }

    @Test
    void aRelayListenerWithSenderChecksOffTakesMailWithoutAChecker() throws Exception {
        Listener listener = start(RELAY, "sender.checks", "off");
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@bank.example", "postmaster@example.test", "From: a@bank.example\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored.get(0).text()).doesNotContain("Authentication-Results");
        assertThat(listener.status().detail()).isEmpty();
    }

    @Test
    void aClientThatLoggedInIsNotRefusedWhileTheCheckerIsMissing() throws Exception {
        Listener listener = start(RELAY, "sender.checks", null);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(send(client, "alice@example.test", "friend@elsewhere.example", "From: alice@example.test\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void aSubmissionListenerChecksMailOfClientsThatDidNotLogInOnlyWhenRequired() throws Exception {
        PortStrategy openSubmission = PortStrategy.of(2526, PortRole.SUBMISSION, TlsMode.STARTTLS_OPPORTUNISTIC,
                AuthPolicy.OPTIONAL);
        Listener byRole = start(openSubmission, "sender.checks", null);
        Listener required = start(openSubmission, "sender.checks", "required");
        try (SmtpClient client = connect(byRole)) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@example.test", "postmaster@example.test", "From: a@example.test\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        try (SmtpClient client = connect(required)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<a@example.test>")).isEqualTo(SenderCheck.UNAVAILABLE);
        }
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void aRejectVerdictIs550AndNothingIsStored() throws Exception {
        checks.verdict = AuthVerdict.REJECT;
        try (SmtpClient client = connect(relay())) {
            client.command("EHLO peer.example");
            assertThat(send(client, "ceo@bank.example", "postmaster@example.test", "From: ceo@bank.example\r\n\r\npay\r\n"))
                    .isEqualTo("550 5.7.1 Message refused: it fails DMARC and bank.example asks receivers to reject it");
        }
        assertThat(spool.stored).isEmpty();
        assertThat(checks.asked).isEqualTo("127.0.0.1 peer.example ceo@bank.example");
    }

    @Test
    void aDeferVerdictIs451() throws Exception {
        checks.verdict = AuthVerdict.DEFER;
        try (SmtpClient client = connect(relay())) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@slow.example", "postmaster@example.test", "From: a@slow.example\r\n\r\nx\r\n"))
                    .startsWith("451 4.7.1 ");
        }
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void acceptedMailGetsTheResultsOnTopInsteadOfForgedOnes() throws Exception {
        try (SmtpClient client = connect(relay())) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@bank.example", "postmaster@example.test",
                    "Authentication-Results: mx.example.test; dmarc=pass\r\nFrom: a@bank.example\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        String stored = spool.stored.get(0).text();
        assertThat(stored).startsWith("Received: from peer.example").contains("\r\nAuthentication-Results: mx.example.test;"
                + " dmarc=fail header.from=bank.example\r\nFrom: a@bank.example\r\n\r\nx\r\n").doesNotContain("dmarc=pass");
        assertThat(new String(checks.message, StandardCharsets.UTF_8)).as("checked without the Received field")
                .startsWith("Authentication-Results: mx.example.test; dmarc=pass\r\n");
    }

    @Test
    void aLargeMessageIsCheckedFromItsSpillFileAndStoredWithTheResultsInsteadOfForgedOnes() throws Exception {
        Set<Path> before = IncomingMessageTest.spills();
        String body = "x".repeat(998) + "\r\n";
        String header = "Authentication-Results: mx.example.test; dmarc=pass\r\nFrom: a@bank.example\r\n\r\n";
        String large = header + body.repeat(NonBlockingSubmission.SMALL_MESSAGE / 1000 * 3);
        try (SmtpClient client = connect(relay())) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@bank.example", "postmaster@example.test", large)).startsWith("250 2.0.0");
        }
        assertThat(checks.message).as("what the checks read").hasSize(large.length());
        assertThat(checks.spilledWhileChecking).as("octets the checks found on disk")
                .isGreaterThan(large.length() - NonBlockingSubmission.SMALL_MESSAGE);
        assertThat(spool.stored.get(0).text()).startsWith("Received: from peer.example")
                .contains("\r\nAuthentication-Results: mx.example.test; dmarc=fail header.from=bank.example\r\nFrom: a@bank.example\r\n\r\nxxx")
                .doesNotContain("dmarc=pass").endsWith(large.substring(header.length()));
        assertThat(IncomingMessageTest.spills()).as("spill files left").isEqualTo(before);
    }

    @Test
    void aLargeMessageThatIsRefusedOrCutOffLeavesNoSpillFile() throws Exception {
        Set<Path> before = IncomingMessageTest.spills();
        String large = "From: a@bank.example\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(NonBlockingSubmission.SMALL_MESSAGE / 1000 * 3);
        checks.verdict = AuthVerdict.REJECT;
        Listener listener = relay();
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(send(client, "a@bank.example", "postmaster@example.test", large)).startsWith("550 5.7.1");
        }
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@bank.example>");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw(large);
        }
        assertThat(spool.stored).isEmpty();
        await().untilAsserted(() -> assertThat(spool.discarded).hasValue(2));
        await().untilAsserted(() -> assertThat(IncomingMessageTest.spills()).as("spill files left").isEqualTo(before));
    }

    @Test
    void mailFromAClientThatLoggedInIsNotChecked() throws Exception {
        checks.verdict = AuthVerdict.REJECT;
        try (SmtpClient client = authenticated(relay())) {
            assertThat(send(client, "alice@example.test", "friend@elsewhere.example", "From: alice@example.test\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(checks.asked).isNull();
    }

    @Test
    void submissionListenersDoNotCheck() throws Exception {
        checks.verdict = AuthVerdict.REJECT;
        Listener listener = start(SUBMISSION, "sender.checks", null);
        listener.senderAuthenticator(checks);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(send(client, "alice@example.test", "friend@elsewhere.example", "Subject: x\r\n\r\nhi\r\n")).startsWith("250 2.0.0");
        }
        assertThat(checks.asked).isNull();
    }
}
