package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.NginxPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;
import org.mailslot.transport.internal.delivery.TestTlsAccess;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.mailslot.transport.internal.probe.ProbeAccess;
import org.mailslot.transport.internal.probe.SocketSmtpProber;

/**
 * MTA-STS against real peers: Debian's dnsmasq publishes the {@code _mta-sts} TXT records, the MX
 * records and the addresses on 127.0.0.8:15353, Debian's nginx serves the policies over HTTPS on
 * 127.0.0.21:443 with certificates from a test CA (one per policy host, chosen by SNI), and a private
 * Postfix on 127.0.0.2:25 is every domain's MX, with a test-CA certificate for {@code mx.sts.test}
 * and {@code mx.outside.test} only.
 */
class MtaStsIT {

    private static final String NGINX = NginxPeer.DEFAULT_ADDRESS;
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.sts.test\nmax_age: 86400\n";
    private static final String POLICY = ".well-known/mta-sts.txt";

    @TempDir
    static Path dir;

    private static final String POSTFIX = PostfixPeer.DEFAULT_ADDRESS;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static DnsmasqPeer dns;
    private static NginxPeer nginx;
    private static PostfixPeer postfix;
    private static TlsServiceImpl tls;

    private SmtpMailTransport transport;
    private MtaStsComponent mtaSts;
    private MxRouting routing;

    @BeforeAll
    static void startPeers() throws Exception {
        TestCa ca = TestCa.create();
        nginx = NginxPeer.builder()
                .site("mta-sts.sts.test", ca.issueServer("mta-sts.sts.test")).file("mta-sts.sts.test", POLICY, ENFORCE)
                .site("mta-sts.untrusted.test", ca.issueUntrustedServer("mta-sts.untrusted.test"))
                .file("mta-sts.untrusted.test", POLICY, ENFORCE)
                .site("mta-sts.misnamed.test", ca.issueServer("www.misnamed.test"))
                .file("mta-sts.misnamed.test", POLICY, ENFORCE)
                .site("mta-sts.large.test", ca.issueServer("mta-sts.large.test"))
                .file("mta-sts.large.test", POLICY, ENFORCE + "x: " + "y".repeat(PolicyFetcher.MAX_BYTES) + "\n")
                .site("mta-sts.missing.test", ca.issueServer("mta-sts.missing.test"))
                .site("mta-sts.outside.test", ca.issueServer("mta-sts.outside.test"))
                .file("mta-sts.outside.test", POLICY, "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n")
                .site("mta-sts.badcert.test", ca.issueServer("mta-sts.badcert.test"))
                .file("mta-sts.badcert.test", POLICY, "version: STSv1\nmode: enforce\nmx: mx.badcert.test\nmax_age: 86400\n")
                .site("mta-sts.trial.test", ca.issueServer("mta-sts.trial.test"))
                .file("mta-sts.trial.test", POLICY, "version: STSv1\nmode: testing\nmx: mx.trial.test\nmax_age: 86400\n")
                .start();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(POSTFIX, "mx.sts.test", "mx.outside.test"))
                .domains("sts.test", "outside.test", "badcert.test", "trial.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        DnsmasqPeer.Builder records = DnsmasqPeer.builder().localDomain("test");
        for (String domain : List.of("sts.test", "untrusted.test", "misnamed.test", "large.test", "missing.test",
                "outside.test", "badcert.test", "trial.test")) {
            records.host("mta-sts." + domain, NGINX).option("--txt-record=_mta-sts." + domain + ",v=STSv1; id=20261207;")
                    .mx(domain, "mx." + domain, 10).host("mx." + domain, POSTFIX);
        }
        // A policy host that takes the connection and never answers (the test's own socket on loopback).
        records.host("mta-sts.stalled.test", "127.0.0.1");
        dns = records.start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTlsAccess.service(identity, ca.writeCertificatePem(dir.resolve("ca.pem")));
    }

    @AfterAll
    static void stopPeers() {
        if (postfix != null) {
            postfix.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void setUp() {
        mtaSts = new MtaStsComponent(ComponentConfig.of(MxRouting.Config.class, Map.of("resolver", dns.resolver(),
                "dns.timeout", "2", "mta-sts.directory", dir.resolve("policies-" + System.nanoTime()).toString())), tls);
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        routing = new MxRouting(new DnsMxResolver(dns.resolver(), Duration.ofSeconds(2)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ZERO, Duration.ofMinutes(10), Optional.of("client.test")),
                2, TlsPolicies.parse("MX delivery: ", "may", new String[0], () -> mtaSts));
        transport.setMx(routing);
    }

    @AfterEach
    void tearDown() {
        transport.deactivate();
        mtaSts.deactivate();
    }

    private DeliveryResult send(String recipient, String subject, boolean requireTls) {
        return send(recipient, subject, requireTls, "");
    }

    private DeliveryResult send(String recipient, String subject, boolean requireTls, String moreHeader) {
        byte[] message = ("From: sender@client.test\r\nTo: " + recipient + "\r\n" + moreHeader + "Subject: " + subject
                + "\r\n\r\nHello under MTA-STS.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to(recipient).requireTls(requireTls).build();
        return transport.deliver(envelope, MessageSource.of(message), transport.routeFor(MailAddress.parse(recipient)));
    }

    private static String delivered(String subject) {
        return await("a message with subject " + subject + " in Postfix's mailbox").atMost(WAIT)
                .until(() -> postfix.messages().stream().map(MtaStsIT::read)
                        .filter(m -> m.contains("Subject: " + subject)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean neverDelivered(String subject) {
        return postfix.messages().stream().map(MtaStsIT::read).noneMatch(m -> m.contains("Subject: " + subject));
    }

    @Test
    void enforcedWithAMatchingMxIsDeliveredVerified() {
        DeliveryResult result = send("bob@sts.test", "enforced and verified", false);

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.host()).isEqualTo("mx.sts.test");
        assertThat(outcome.tls()).hasValueSatisfying(t -> assertThat(t.verified()).isTrue());
        assertThat(outcome.tlsPolicy()).hasValueSatisfying(policy -> {
            assertThat(policy.level()).isEqualTo(TlsPolicyLevel.MTA_STS);
            assertThat(policy.toString()).isEqualTo("tls-policy=mta-sts (sts.test publishes an MTA-STS policy (enforce,"
                    + " id 20261207)): mta-sts-verified: the certificate names mx.sts.test, which the policy names");
        });
        assertThat(delivered("enforced and verified")).contains("Hello under MTA-STS.");
    }

    @Test
    void enforcedWithAnMxOutsideThePatternsIsDeferredAndNoServerIsContacted() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("carol@outside.test", "never outside the patterns", false);

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.text()).contains("mx.outside.test is not an MX host the MTA-STS policy of outside.test names");
        assertThat(result.attempts()).isEmpty();
        assertThat(postfix.disconnects(25)).hasSize(before);
        assertThat(neverDelivered("never outside the patterns")).isTrue();
    }

    @Test
    void enforcedWithACertificateForAnotherNameIsDeferredAndNothingIsSent() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("dave@badcert.test", "never to a wrong certificate", false);

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.enhancedCode()).isEqualTo("4.7.5");
        assertThat(outcome.tlsPolicy().orElseThrow().level()).isEqualTo(TlsPolicyLevel.MTA_STS);
        List<String> disconnects = postfix.awaitDisconnects(25, before + 1, WAIT);
        assertThat(PostfixPeer.commandCounts(disconnects.get(disconnects.size() - 1)))
                .doesNotContainKeys("mail", "rcpt", "data");
        assertThat(neverDelivered("never to a wrong certificate")).isTrue();
    }

    @Test
    void tlsRequiredNoDeliversDespiteThePolicyButNeverLiftsRequireTls() {
        DeliveryResult result = send("grace@outside.test", "tls required no", false, "TLS-Required: No\r\n");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tlsPolicy()).hasValueSatisfying(policy -> {
            assertThat(policy.level()).isEqualTo(TlsPolicyLevel.MAY);
            assertThat(policy.why()).isEqualTo("TLS-Required: No in the message, instead of mta-sts (outside.test"
                    + " publishes an MTA-STS policy (enforce, id 20261207))");
        });
        assertThat(delivered("tls required no")).contains("TLS-Required: No");

        RecipientOutcome sealed = send("heidi@outside.test", "never despite the header", true, "TLS-Required: No\r\n")
                .recipients().get(0);
        assertThat(sealed.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(sealed.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(neverDelivered("never despite the header")).isTrue();
    }

    @Test
    void theProbeShowsThePolicyAndWhetherEachMxPassesIt() {
        SocketSmtpProber prober = ProbeAccess.prober(tls, routing);

        MxProbe sts = prober.probeMx("sts.test", Duration.ofSeconds(10));
        MxProbe badcert = prober.probeMx("badcert.test", Duration.ofSeconds(10));

        assertThat(sts.mtaSts()).isEqualTo("enforce, id 20261207, mx [mx.sts.test], max_age 86400 s");
        assertThat(sts.hosts()).singleElement().satisfies(host -> assertThat(host.mtaSts())
                .contains("passes: named by the MTA-STS policy, its certificate verifies for mx.sts.test"));
        assertThat(badcert.hosts()).singleElement().satisfies(host -> assertThat(host.mtaSts()).hasValueSatisfying(
                line -> assertThat(line).startsWith("fails: named by the MTA-STS policy, but its certificate does not"
                        + " verify: ").contains("mx.badcert.test")));
    }

    @Test
    void testingModeDeliversWhereEnforceWouldNot() {
        DeliveryResult result = send("erin@trial.test", "testing only reports", false);

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        // Verified as under enforce: the certificate does not name mx.trial.test, which is said and reported.
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(t -> assertThat(t.verificationError())
                .hasValueSatisfying(error -> assertThat(error).contains("No name matching mx.trial.test found")));
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .contains("MTA-STS testing: the certificate is verified, failures only reported")
                .endsWith("reported: certificate-host-mismatch");
        assertThat(delivered("testing only reports")).contains("Hello under MTA-STS.");
    }

    @Test
    void requireTlsToAVerifiedMxWithoutRequireTlsFailsWith5730AndNothingIsSent() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("frank@sts.test", "never without requiretls", true);

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("5.7.30");
        assertThat(outcome.text()).contains("does not offer REQUIRETLS");
        transport.deactivate();
        List<String> disconnects = postfix.awaitDisconnects(25, before + 1, WAIT);
        assertThat(PostfixPeer.commandCounts(disconnects.get(disconnects.size() - 1))).containsKey("starttls")
                .doesNotContainKeys("mail", "rcpt", "data");
        assertThat(neverDelivered("never without requiretls")).isTrue();
    }

    private static PolicyFetcher fetcher() {
        return new PolicyFetcher(tls, new PolicyDns(dns.resolver(), Duration.ofSeconds(2)), Duration.ofSeconds(10),
                NginxPeer.DEFAULT_PORT, Clock.systemUTC());
    }

    @Test
    void thePolicyIsFetchedOverVerifiedHttpsAndKeptOnDisk() throws Exception {
        Path cache = dir.resolve("cache");
        PolicyDns lookups = new PolicyDns(dns.resolver(), Duration.ofSeconds(2));
        PublishedPolicies policies = new PublishedPolicies(lookups::txt, fetcher()::fetch, new PolicyStore(cache),
                Clock.systemUTC());

        CachedPolicy policy = policies.policy("sts.test").orElseThrow();

        assertThat(policy.id()).isEqualTo("20261207");
        assertThat(policy.policy()).isEqualTo(StsPolicy.parse(ENFORCE));
        assertThat(nginx.requests()).anyMatch(line -> line.contains("\"GET /.well-known/mta-sts.txt HTTP/1.1\" 200"));
        assertThat(new PolicyStore(cache).load()).containsExactly(policy);
    }

    @Test
    void aCertificateFromAnUntrustedCaIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("untrusted.test"))
                .hasMessageContaining("https://mta-sts.untrusted.test/.well-known/mta-sts.txt could not be fetched")
                .hasMessageContaining("PKIX");
    }

    @Test
    void aCertificateForAnotherNameIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("misnamed.test"))
                .hasMessageContaining("https://mta-sts.misnamed.test/.well-known/mta-sts.txt could not be fetched")
                .hasMessageContaining("mta-sts.misnamed.test");
    }

    @Test
    void aPolicyLargerThan64KiBIsRefused() {
        assertThatThrownBy(() -> fetcher().fetch("large.test"))
                .hasMessageContaining("more than the 65536 allowed");
    }

    @Test
    void aPolicyHostThatNeverAnswersIsGivenUpAtTheFetchDeadline() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PolicyFetcher fetcher = new PolicyFetcher(tls, new PolicyDns(dns.resolver(), Duration.ofSeconds(2)),
                    Duration.ofSeconds(2), stalled.getLocalPort(), Clock.systemUTC());
            long start = System.nanoTime();

            assertThatThrownBy(() -> fetcher.fetch("stalled.test"))
                    .hasMessageContaining("https://mta-sts.stalled.test/.well-known/mta-sts.txt could not be fetched")
                    .hasMessageContaining("timed out");
            // The kernel accepted the connection; the TLS handshake waited for the deadline, not longer.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void aMissingPolicyFileIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("missing.test"))
                .hasMessageContaining("answered 404 Not Found (only 200 is a policy");
    }
}
