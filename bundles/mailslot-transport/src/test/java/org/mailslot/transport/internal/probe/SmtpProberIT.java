package org.mailslot.transport.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.transport.PortProbe;
import org.mailslot.api.transport.PortProbe.Reachability;
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

/** The prober against a real Postfix: what it reports is what the server really offers. */
class SmtpProberIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static TestCa ca;
    static IssuedCertificate certificate;
    static DovecotPeer dovecot;
    static PostfixPeer postfix;

    @BeforeAll
    static void startPeers() throws Exception {
        ca = TestCa.create();
        certificate = ca.issueServer("mail.example.test", "127.0.0.2");
        dovecot = DovecotPeer.builder().authOnly().user("relayuser", "relaypass").start();
        postfix = PostfixPeer.builder().hostname("mail.example.test").certificate(certificate).sasl(dovecot).start();
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

    private SocketSmtpProber prober(Path trust) {
        TlsServiceImpl tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class,
                Map.of("trust.pem", trust.toString(), "trust.jdk.defaults", false, "self.signed.enabled", false,
                        "reload.interval.seconds", 0)));
        SocketSmtpProber prober = new SocketSmtpProber(tls);
        for (PortStrategy strategy : List.of(new Relay25Strategy(), new Submissions465Strategy(),
                new Submission587Strategy(), new Alternate2525Strategy())) {
            prober.addStrategy(strategy, Map.of());
        }
        return prober;
    }

    @Test
    void reportsEachPortAsTheServerOffersIt() throws Exception {
        Path trust = ca.writeCertificatePem(dir.resolve("ca.pem"));

        List<PortProbe> probes = prober(trust).probe("127.0.0.2", List.of(25, 465, 587, 2525), TIMEOUT);

        PortProbe relay = probes.get(0);
        assertThat(relay.reachability()).isEqualTo(Reachability.OPEN);
        assertThat(relay.banner()).hasValueSatisfying(banner -> assertThat(banner).startsWith("220 mail.example.test"));
        assertThat(relay.starttlsOffered()).isTrue();
        assertThat(relay.extensionsBeforeTls()).contains("STARTTLS");
        assertThat(relay.extensions()).doesNotContain("STARTTLS").contains("PIPELINING");
        assertThat(relay.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.verified()).isTrue();
            assertThat(tls.verificationError()).isEmpty();
            assertThat(tls.peerSubject()).isEqualTo(certificate.certificate().getSubjectX500Principal().getName());
            assertThat(tls.peerIssuer()).isEqualTo(ca.certificate().getSubjectX500Principal().getName());
            assertThat(tls.peerNotAfter()).isEqualTo(certificate.certificate().getNotAfter().toInstant());
        });
        PortProbe submissions = probes.get(1);
        assertThat(submissions.starttlsOffered()).as("no STARTTLS on implicit TLS").isFalse();
        assertThat(submissions.tls()).hasValueSatisfying(tls -> assertThat(tls.verified()).isTrue());
        assertThat(submissions.extensions()).anyMatch(extension -> extension.startsWith("AUTH"));
        assertThat(submissions.extensionsBeforeTls()).as("nothing is said in clear on 465").isEmpty();
        for (PortProbe submission : probes.subList(2, 4)) {
            assertThat(submission.starttlsOffered()).isTrue();
            assertThat(submission.extensionsBeforeTls()).as("in clear: STARTTLS, and no AUTH").contains("STARTTLS")
                    .noneMatch(e -> e.startsWith("AUTH"));
            assertThat(submission.extensions()).as("under TLS: AUTH, and no STARTTLS").anyMatch(e -> e.startsWith("AUTH"))
                    .doesNotContain("STARTTLS");
            assertThat(submission.tls()).hasValueSatisfying(tls -> {
                assertThat(tls.verified()).isTrue();
                assertThat(tls.peerSubject()).contains("CN=mail.example.test");
                assertThat(tls.peerNotAfter()).isEqualTo(certificate.certificate().getNotAfter().toInstant());
            });
            assertThat(submission.error()).isEmpty();
        }
        // The prober sends neither credentials nor MAIL: Postfix saw only EHLO, STARTTLS and QUIT.
        postfix.awaitDisconnects(587, 1, TIMEOUT);
        assertThat(PostfixPeer.commandCounts(postfix.disconnects(587).get(0))).doesNotContainKeys("auth", "mail");
    }

    @Test
    void showsAnUntrustedCertificateAsUnverifiedWithTheReason() throws Exception {
        Path otherCa = TestCa.create("Some Other CA", TestCa.KeyAlgorithm.EC_P256).writeCertificatePem(dir.resolve("other-ca.pem"));

        PortProbe probe = prober(otherCa).probe("127.0.0.2", List.of(465), TIMEOUT).get(0);

        assertThat(probe.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.verified()).isFalse();
            assertThat(tls.verificationError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("unable to find valid certification path"));
            assertThat(tls.peerSubject()).isEqualTo(certificate.certificate().getSubjectX500Principal().getName());
            assertThat(tls.peerIssuer()).isEqualTo(ca.certificate().getSubjectX500Principal().getName());
            assertThat(tls.peerNotAfter()).isEqualTo(certificate.certificate().getNotAfter().toInstant());
        });
    }

    @Test
    void reportsAClosedPortAsRefused() throws Exception {
        PortProbe probe = prober(ca.writeCertificatePem(dir.resolve("ca2.pem"))).probe("127.0.0.2", List.of(2526), TIMEOUT).get(0);

        assertThat(probe.reachability()).isEqualTo(Reachability.REFUSED);
        assertThat(probe.error()).contains("connection refused");
    }
}
