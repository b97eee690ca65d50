package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;

/**
 * The MX route against real peers: Debian's dnsmasq answers the MX, A, AAAA and NXDOMAIN questions
 * on 127.0.0.8:15353, and a private Postfix on 127.0.0.2:25 (STARTTLS offered, no AUTH) is the mail
 * exchanger. Both are started once for the class. For {@code flaky.test} dnsmasq forwards to an
 * in-process upstream that has no MX for it and fails its address questions, which dnsmasq alone
 * cannot be told to do.
 */
class DnsmasqMxIT {

    private static final String POSTFIX = PostfixPeer.DEFAULT_ADDRESS;
    /** An address where nothing listens on port 25: a dead MX host. */
    private static final String DEAD = "127.0.0.9";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static PostfixPeer postfix;
    private static DnsmasqPeer dns;
    private static TlsServiceImpl tls;
    private static TinyDns upstream;

    private SmtpMailTransport transport;

    @BeforeAll
    static void startPeers() throws Exception {
        upstream = new TinyDns().fail("flaky.test", org.xbill.DNS.Type.A, TinyDns.Failure.SERVFAIL)
                .fail("flaky.test", org.xbill.DNS.Type.AAAA, TinyDns.Failure.SERVFAIL);
        TestCa ca = TestCa.create();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(POSTFIX, "mx.example.test"))
                .domains("example.test", "backup.test", "nomx.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        dns = DnsmasqPeer.builder().localDomain("test")
                .mx("example.test", "mx.example.test", 10).host("mx.example.test", POSTFIX)
                .mx("backup.test", "mx2.backup.test", 20).mx("backup.test", "mx1.backup.test", 10)
                .host("mx1.backup.test", DEAD).host("mx2.backup.test", POSTFIX)
                .host("nomx.test", POSTFIX)
                // An upstream that never answers: dnsmasq can only fail the query.
                .forward("down.test", DEAD, 15399)
                .forward("flaky.test", "127.0.0.1", upstream.port())
                .mx("six.test", "mx.six.test", 10).host("mx.six.test", "::1")
                .start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTls.service(identity, ca.writeCertificatePem(dir.resolve("ca.pem")));
    }

    @AfterAll
    static void stopPeers() {
        if (dns != null) {
            dns.close();
        }
        if (postfix != null) {
            postfix.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void setUp() {
        transport = new SmtpMailTransport(tls, java.time.Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        transport.setMx(mxRouting(dns.resolver()));
    }

    @AfterEach
    void tearDown() {
        transport.deactivate();
    }

    private static MxRouting mxRouting(String resolver) {
        return mxRouting(resolver, 25);
    }

    private static MxRouting mxRouting(String resolver, int port) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(port), Set.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return new MxRouting(new DnsMxResolver(resolver, Duration.ofSeconds(2)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ofSeconds(5), Duration.ofMinutes(10),
                Optional.of("client.test")), 2);
    }

    private DeliveryResult send(String recipient, String subject) {
        byte[] message = ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\n\r\nHello over MX.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to(recipient).build();
        Route route = transport.routeFor(MailAddress.parse(recipient));
        assertThat(route.kind()).isEqualTo(Route.Kind.MX);
        return transport.deliver(envelope, MessageSource.of(message), route);
    }

    /** @return the message with the subject, once it is in Postfix's mailbox */
    private static String delivered(String subject) {
        return await("a message with subject " + subject + " in Postfix's mailbox").atMost(WAIT)
                .until(() -> postfix.messages().stream().map(DnsmasqMxIT::read)
                        .filter(m -> m.contains("Subject: " + subject)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            // Postfix's delivery renames the file from tmp/ to new/ while we look.
            return "";
        }
    }

    @Test
    void mailForADomainGoesToItsMxWithOpportunisticStartTls() {
        DeliveryResult result = send("bob@example.test", "via the MX");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.host()).isEqualTo("mx.example.test");
        assertThat(outcome.port()).isEqualTo(25);
        assertThat(outcome.tls()).hasValueSatisfying(t -> assertThat(t.verified()).isFalse());
        assertThat(delivered("via the MX")).contains("Subject: via the MX");
        transport.deactivate();
        assertThat(postfix.awaitDisconnects(25, 1, WAIT)).isNotEmpty();
        assertThat(postfix.tlsConnections(25)).isNotEmpty();
    }

    @Test
    void theMostPreferredMxIsTriedFirstAndADeadOneFallsBackToTheNext() {
        DeliveryResult result = send("carol@backup.test", "via the second MX");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.attempts()).extracting(Attempt::host, Attempt::result).containsExactly(
                tuple("mx1.backup.test", Attempt.Result.REFUSED), tuple("mx2.backup.test", Attempt.Result.DELIVERED));
        assertThat(result.recipients().get(0).host()).isEqualTo("mx2.backup.test");
        assertThat(delivered("via the second MX")).contains("Subject: via the second MX");
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailHost() {
        DeliveryResult result = send("dave@nomx.test", "via the A record");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).host()).isEqualTo("nomx.test");
        assertThat(delivered("via the A record")).contains("Subject: via the A record");
    }

    @Test
    void aDomainThatDoesNotExistFailsPermanently() {
        DeliveryResult result = send("eve@missing.test", "never");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("5.1.2");
        assertThat(outcome.failure()).contains(FailureCause.DNS_PERMANENT);
        assertThat(outcome.text()).contains("missing.test does not exist");
        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void aDnsServerThatCannotAnswerIsATemporaryFailure() {
        DeliveryResult result = send("frank@down.test", "never");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("4.4.3");
        assertThat(outcome.failure()).contains(FailureCause.DNS_TEMPORARY);
        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void aDnsServerThatNeverRepliesIsATemporaryFailure() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            transport.setMx(mxRouting("127.0.0.1:" + silent.getLocalPort()));

            DeliveryResult result = send("grace@example.test", "never");

            RecipientOutcome outcome = result.recipients().get(0);
            assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
            assertThat(outcome.enhancedCode()).isEqualTo("4.4.3");
            assertThat(outcome.text()).contains("MX lookup for example.test failed");
        }
    }

    @Test
    void aDomainWithoutMxWhoseAddressLookupFailsIsATemporaryFailureNotABounce() {
        DeliveryResult result = send("heidi@flaky.test", "never");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("4.4.3");
        assertThat(outcome.text()).contains("flaky.test has no MX record, and its address lookup failed")
                .contains("A lookup for flaky.test failed");
        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void anMxHostWithOnlyAnIpv6AddressIsDeliveredTo() throws Exception {
        try (FakeSmtpServer mx = FakeSmtpServer.plain(tls, "::1").offerStartTls(true).offerAuth(false)) {
            transport.addStrategy(org.mailslot.api.port.PortStrategy.of(mx.port(), org.mailslot.api.port.PortRole.RELAY,
                    org.mailslot.api.port.TlsMode.STARTTLS_OPPORTUNISTIC, org.mailslot.api.port.AuthPolicy.OPTIONAL),
                    Map.of());
            transport.setMx(mxRouting(dns.resolver(), mx.port()));

            DeliveryResult result = send("ivan@six.test", "over IPv6");

            assertThat(result.allAccepted()).as(result.toString()).isTrue();
            assertThat(result.recipients().get(0).host()).isEqualTo("mx.six.test");
            assertThat(result.recipients().get(0).tls()).isPresent();
            assertThat(result.attempts()).singleElement().extracting(Attempt::detail).asString()
                    .startsWith("[0:0:0:0:0:0:0:1] ");
            assertThat(mx.messages()).hasSize(1);
            assertThat(new String(mx.messages().get(0), StandardCharsets.US_ASCII)).contains("Subject: over IPv6");
        }
    }
}
