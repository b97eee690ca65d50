package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Alternate2525Strategy;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.Submission587Strategy;
import org.mailslot.transport.internal.Submissions465Strategy;
import org.mailslot.transport.internal.probe.SocketSmtpProber;

/**
 * {@code mailslot:probe} end to end: the command over the real prober and TLS service, against a
 * real Postfix on 127.0.0.2 (SASL from Dovecot on 127.0.0.3), as an operator reads its output.
 */
class ProbeCommandIT {

    @TempDir
    static Path dir;

    static TestCa ca;
    static IssuedCertificate certificate;
    static DovecotPeer dovecot;
    static PostfixPeer postfix;

    @BeforeAll
    static void startPeers() {
        ca = TestCa.create();
        certificate = ca.issueServer("mail.example.test", "127.0.0.2");
        dovecot = DovecotPeer.builder().authOnly().user("relayuser", "relaypass").start();
        postfix = PostfixPeer.builder().hostname("mail.example.test").certificate(certificate).sasl(dovecot)
                .closed(PostfixPeer.Listener.ALTERNATE).start();
    }

    @AfterAll
    static void stopPeers() {
        if (postfix != null) {
            postfix.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void showsEachPortWithItsExtensionsInClearAndUnderTlsAndTheCertificate() throws Exception {
        String output = probe("127.0.0.2 --ports 587,465,2525 --timeout 10");

        String submission = block(output, "127.0.0.2:587");
        assertThat(submission).startsWith("127.0.0.2:587  open").contains("banner       220 mail.example.test");
        assertThat(line(submission, "extensions")).contains("STARTTLS").doesNotContain("AUTH");
        assertThat(line(submission, "starttls")).endsWith("offered");
        assertThat(line(submission, "tls ")).contains("TLSv1.3");
        assertThat(line(submission, "under tls")).contains("AUTH").doesNotContain("STARTTLS");
        assertThat(line(submission, "certificate")).endsWith(certificate.certificate().getSubjectX500Principal().getName());
        assertThat(line(submission, "issuer")).endsWith(ca.certificate().getSubjectX500Principal().getName());
        assertThat(line(submission, "expires")).endsWith(certificate.certificate().getNotAfter().toInstant().toString());
        assertThat(line(submission, "verified")).endsWith("yes");
        assertThat(submission).doesNotContain("error");

        String submissions = block(output, "127.0.0.2:465");
        assertThat(submissions).startsWith("127.0.0.2:465  open").doesNotContain("extensions ");
        assertThat(line(submissions, "starttls")).endsWith("not offered");
        assertThat(line(submissions, "under tls")).contains("AUTH");
        assertThat(line(submissions, "verified")).endsWith("yes");

        String alternate = block(output, "127.0.0.2:2525");
        assertThat(alternate).startsWith("127.0.0.2:2525  refused").contains("error        connection refused");
    }

    @Test
    void showsACertificateItCannotVerifyWithTheReason() throws Exception {
        Path otherCa = TestCa.create("Some Other CA", TestCa.KeyAlgorithm.EC_P256).writeCertificatePem(dir.resolve("other.pem"));

        String submission = block(probe(otherCa, "127.0.0.2 --ports 587"), "127.0.0.2:587");

        assertThat(line(submission, "verified")).contains("no: ").contains("unable to find valid certification path");
        assertThat(line(submission, "certificate")).endsWith(certificate.certificate().getSubjectX500Principal().getName());
    }

    private static String probe(String arguments) {
        return probe(ca.writeCertificatePem(dir.resolve("ca.pem")), arguments);
    }

    private static String probe(Path trust, String arguments) {
        TlsServiceImpl tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class,
                Map.of("trust.pem", trust.toString(), "trust.jdk.defaults", false, "self.signed.enabled", false,
                        "reload.interval.seconds", 0)));
        SocketSmtpProber prober = new SocketSmtpProber(tls);
        for (PortStrategy strategy : List.of(new Relay25Strategy(), new Submissions465Strategy(),
                new Submission587Strategy(), new Alternate2525Strategy())) {
            prober.addStrategy(strategy, Map.of());
        }
        ProbeCommand command = new ProbeCommand();
        command.prober = prober;
        String[] words = arguments.split(" ");
        command.host = words[0];
        command.trailing = List.of(words).subList(1, words.length);
        return QueueCommandsTest.run(command);
    }

    /** @return the lines of one port, from its heading to the blank line after it */
    private static String block(String output, String heading) {
        int start = output.indexOf(heading + "  ");
        assertThat(start).as("a block for " + heading + " in\n" + output).isNotNegative();
        int end = output.indexOf("\n\n", start);
        return output.substring(start, end < 0 ? output.length() : end);
    }

    private static String line(String block, String field) {
        return block.lines().filter(l -> l.startsWith("  " + field)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + " line in\n" + block)).strip();
    }
}
