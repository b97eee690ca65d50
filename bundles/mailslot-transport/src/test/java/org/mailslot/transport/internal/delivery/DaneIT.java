package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.mailslot.api.transport.DnssecStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.KnotPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.testing.peers.UnboundPeer;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.DestinationTls;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * DANE (RFC 7672) against real peers: knot serves the test zones on 127.0.0.41:15354, signing all
 * but {@code plain.test}; unbound on 127.0.0.42:15355 validates them with the DS records knot
 * prints as trust anchors (a wrong one for {@code bogus.test}); the TLSA records are made with
 * openssl from the certificate Postfix, the MX host on 127.0.0.2:25, presents.
 */
class DaneIT {

    private static final String POSTFIX = PostfixPeer.DEFAULT_ADDRESS;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static PostfixPeer postfix;
    private static KnotPeer knot;
    private static UnboundPeer unbound;
    private static TlsServiceImpl tls;

    private SmtpMailTransport transport;

    @BeforeAll
    static void startPeers() throws Exception {
        TestCa ca = TestCa.create();
        IssuedCertificate mx = ca.issueServer(POSTFIX, "mx.dane.test", "mx.wrong.test", "mx.ta.test", "mx.plain.test");
        postfix = PostfixPeer.builder().certificate(mx)
                .domains("dane.test", "wrong.test", "bogus.test", "plain.test", "ta.test", "tlsa.test", "split.test",
                        "aaaa.test", "insecurehost.test", "alias.test", "fallback.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        Path certificate = mx.writeChainPem(dir.resolve("mx.pem"));
        Path caCertificate = ca.writeCertificatePem(dir.resolve("ca.pem"));
        String eeKey = openssl("openssl x509 -in " + certificate + " -noout -pubkey | openssl pkey -pubin -outform DER"
                + " | openssl dgst -sha256 -r | cut -d' ' -f1");
        String taCert = openssl("openssl x509 -in " + caCertificate + " -outform DER | openssl dgst -sha256 -r"
                + " | cut -d' ' -f1");
        String mxRecords = "@ MX 10 mx\nmx A " + POSTFIX + "\n";
        String noMatch = "00".repeat(32);
        knot = KnotPeer.builder()
                .signedZone("dane.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n")
                .signedZone("wrong.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + noMatch + "\n")
                .signedZone("ta.test", mxRecords + "_25._tcp.mx TLSA 2 0 1 " + taCert + "\n")
                .signedZone("bogus.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n")
                // Matching TLSA records whose signature does not verify; the MX and A records validate.
                .badSignature("tlsa.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n", "_25._tcp.mx", "TLSA")
                // The same in a zone of their own, delegated with a DS record that matches none of its keys.
                // (Not delegated, it would not exist: the parent's NSEC records deny it, validly.)
                .signedZone("split.test", mxRecords + "_tcp.mx NS ns\n_tcp.mx DS 12345 13 2 " + noMatch + "\n")
                .signedZone("_tcp.mx.split.test", "_25 TLSA 3 1 1 " + eeKey + "\n")
                // A valid A record, a bogus AAAA record: the host's addresses are not all validated.
                .badSignature("aaaa.test", mxRecords + "mx AAAA ::1\n_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n", "mx", "AAAA")
                // A validated MX and TLSA record (one that matches nothing), an unsigned A record.
                .signedZone("insecurehost.test", "@ MX 10 mx.plainhost.test.\n")
                .unsignedZone("plainhost.test", "mx A " + POSTFIX + "\n")
                .signedZone("_tcp.mx.plainhost.test", "_25 TLSA 3 1 1 " + noMatch + "\n")
                // The MX host an alias of mx.dane.test: its TLSA records, not the wrong ones at the alias.
                .signedZone("alias.test", "@ MX 10 mx\nmx CNAME mx.dane.test.\n_25._tcp.mx TLSA 3 1 1 " + noMatch + "\n")
                // An alias whose target has no TLSA records: those of the MX host name apply.
                .signedZone("fallback.test", "@ MX 10 mx\nmx CNAME host\nhost A " + POSTFIX + "\n_25._tcp.mx TLSA 3 1 1 "
                        + eeKey + "\n")
                .unsignedZone("plain.test", mxRecords)
                .start();
        UnboundPeer.Builder resolver = UnboundPeer.builder().stubZones(knot);
        for (String zone : List.of("dane.test", "wrong.test", "ta.test", "tlsa.test", "split.test", "aaaa.test",
                "insecurehost.test", "_tcp.mx.plainhost.test", "alias.test", "fallback.test")) {
            knot.ds(zone).forEach(resolver::trustAnchor);
        }
        // An anchor that is not the zone's key: every answer from the zone fails validation.
        resolver.trustAnchor(knot.ds("dane.test").get(0).replace("dane.test.", "bogus.test."));
        unbound = resolver.start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTls.service(identity, caCertificate);
    }

    private static String openssl(String pipeline) {
        String digest = Processes.runChecked(Duration.ofSeconds(10), "sh", "-c", pipeline).output().strip();
        assertThat(digest).matches("[0-9a-f]{64}");
        return digest;
    }

    @AfterAll
    static void stopPeers() {
        for (AutoCloseable peer : new AutoCloseable[] {unbound, knot, postfix}) {
            try {
                if (peer != null) {
                    peer.close();
                }
            } catch (Exception e) {
                // The others are stopped still.
            }
        }
    }

    @BeforeEach
    void setUp() {
        transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        transport.setMx(mxRouting("dane"));
    }

    @AfterEach
    void tearDown() {
        transport.deactivate();
    }

    private static MxRouting mxRouting(String level, String... entries) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return new MxRouting(new DnsMxResolver(unbound.resolver(), Duration.ofSeconds(5)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ZERO, Duration.ofMinutes(10),
                Optional.of("client.test")), 2, TlsPolicies.parse("MX delivery: ", level, entries, () -> d -> Optional.empty()),
                new DestinationTls(new DnssecLookups(unbound.resolver(), Duration.ofSeconds(5), Clock.systemUTC())));
    }

    private DeliveryResult send(String recipient, String subject) {
        byte[] message = ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\n\r\nHello over DANE.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to(recipient).build();
        return transport.deliver(envelope, MessageSource.of(message), transport.routeFor(MailAddress.parse(recipient)));
    }

    private static String delivered(String subject) {
        return await("a message with subject " + subject + " in Postfix's mailbox").atMost(WAIT)
                .until(() -> postfix.messages().stream().map(DaneIT::read)
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

    @Test
    void aCertificateMatchingTheTlsaRecordIsDeliveredDaneVerified() {
        DeliveryResult result = send("bob@dane.test", "dane verified");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.tls()).hasValueSatisfying(t -> assertThat(t.verified()).isTrue());
        assertThat(outcome.tlsPolicy()).hasValueSatisfying(policy -> {
            assertThat(policy.level()).isEqualTo(TlsPolicyLevel.DANE);
            assertThat(policy.toString()).startsWith("tls-policy=dane (tls.security.level=dane): dane-verified")
                    .contains("_25._tcp.mx.dane.test");
        });
        assertThat(delivered("dane verified")).contains("Hello over DANE.");
    }

    @Test
    void aDaneTaRecordVerifiesTheChainAndTheName() {
        DeliveryResult result = send("carol@ta.test", "dane-ta verified");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result()).startsWith("dane-verified");
        assertThat(delivered("dane-ta verified")).contains("Hello over DANE.");
    }

    @Test
    void aCertificateMatchingNoTlsaRecordIsDeferredAndNothingIsSent() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("dave@wrong.test", "never over wrong tlsa");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.enhancedCode()).isEqualTo("4.7.5");
        assertThat(outcome.text()).contains("matches none of its 1 usable TLSA record");
        assertThat(outcome.tlsPolicy().orElseThrow().level()).isEqualTo(TlsPolicyLevel.DANE);
        // Postfix saw the handshake and nothing after it: no MAIL, no RCPT, no DATA.
        List<String> disconnects = postfix.awaitDisconnects(25, before + 1, WAIT);
        var commands = PostfixPeer.commandCounts(disconnects.get(disconnects.size() - 1));
        assertThat(commands).containsKey("starttls").doesNotContainKeys("mail", "rcpt", "data");
        assertThat(postfix.messages().stream().map(DaneIT::read)).noneMatch(m -> m.contains("never over wrong tlsa"));
    }

    @Test
    void bogusSignaturesDeferAndNoServerIsContacted() {
        DnssecLookups lookups = new DnssecLookups(unbound.resolver(), Duration.ofSeconds(5), Clock.systemUTC());
        assertThat(lookups.query(Name.fromConstantString("bogus.test."), Type.MX).security())
                .isEqualTo(DnssecLookups.Security.BOGUS);
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("erin@bogus.test", "never over bogus dns");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(result.attempts()).isEmpty();
        assertThat(postfix.disconnects(25)).hasSize(before);
    }

    @Test
    void bogusTlsaRecordsDeferAndTheMxHostIsNotContacted() {
        DnssecLookups lookups = new DnssecLookups(unbound.resolver(), Duration.ofSeconds(5), Clock.systemUTC());
        assertThat(lookups.query(Name.fromConstantString("tlsa.test."), Type.MX).security())
                .isEqualTo(DnssecLookups.Security.SECURE);
        assertThat(lookups.query(Name.fromConstantString("mx.tlsa.test."), Type.A).security())
                .isEqualTo(DnssecLookups.Security.SECURE);
        assertThat(lookups.query(Name.fromConstantString("_25._tcp.mx.tlsa.test."), Type.TLSA).security())
                .isEqualTo(DnssecLookups.Security.BOGUS);
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("heidi@tlsa.test", "never over bogus tlsa");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).as(result.toString()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.text()).contains("mx.tlsa.test: TLSA records of _25._tcp.mx.tlsa.test. are bogus");
        assertThat(result.attempts()).isEmpty();
        assertThat(postfix.disconnects(25)).hasSize(before);
    }

    @Test
    void tlsaRecordsInAZoneWhoseDsMatchesNoKeyDefer() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("ivan@split.test", "never over a bogus tlsa zone");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).as(result.toString()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.text()).contains("mx.split.test: TLSA records of _25._tcp.mx.split.test. are bogus");
        assertThat(result.attempts()).isEmpty();
        assertThat(postfix.disconnects(25)).hasSize(before);
    }

    @Test
    void aBogusAddressRecordDefersThoughAnotherValidates() {
        int before = postfix.disconnects(25).size();

        DeliveryResult result = send("judy@aaaa.test", "never over a bogus aaaa");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).as(result.toString()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.text()).contains("mx.aaaa.test: AAAA records of mx.aaaa.test. are bogus");
        assertThat(result.attempts()).isEmpty();
        assertThat(postfix.disconnects(25)).hasSize(before);
    }

    @Test
    void insecureAddressRecordsMakeDaneInapplicable() {
        DnssecLookups lookups = new DnssecLookups(unbound.resolver(), Duration.ofSeconds(5), Clock.systemUTC());
        assertThat(lookups.query(Name.fromConstantString("_25._tcp.mx.plainhost.test."), Type.TLSA).security())
                .isEqualTo(DnssecLookups.Security.SECURE);

        DeliveryResult result = send("kim@insecurehost.test", "opportunistic for an insecure address");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(t -> assertThat(t.verified()).isFalse());
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .isEqualTo("opportunistic TLS: the address records of mx.plainhost.test are not DNSSEC-signed");
        assertThat(delivered("opportunistic for an insecure address")).contains("Hello over DANE.");
    }

    @Test
    void daneOnlyRefusesAnMxHostWithInsecureAddressRecords() {
        transport.setMx(mxRouting("may", "insecurehost.test=dane-only"));

        DeliveryResult result = send("lee@insecurehost.test", "never to an insecure address");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.text()).contains("dane-only: the address records of mx.plainhost.test are not DNSSEC-signed");
        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void theTlsaRecordsOfTheCnameExpandedHostNameComeFirst() {
        DeliveryResult result = send("mia@alias.test", "dane through an alias");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(t -> assertThat(t.verified()).isTrue());
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .isEqualTo("dane-verified: the certificate matched a DNSSEC-validated TLSA record of _25._tcp.mx.dane.test.");
        assertThat(delivered("dane through an alias")).contains("Hello over DANE.");
    }

    @Test
    void withoutTlsaRecordsAtTheExpandedNameThoseOfTheMxHostNameApply() {
        DeliveryResult result = send("ned@fallback.test", "dane at the original name");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .isEqualTo("dane-verified: the certificate matched a DNSSEC-validated TLSA record of _25._tcp.mx.fallback.test.");
        assertThat(delivered("dane at the original name")).contains("Hello over DANE.");
    }

    @Test
    void anUnsignedZoneGetsOpportunisticTls() {
        DeliveryResult result = send("frank@plain.test", "opportunistic");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(t -> assertThat(t.verified()).isFalse());
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .isEqualTo("opportunistic TLS: the MX records of plain.test are not DNSSEC-signed");
        assertThat(delivered("opportunistic")).contains("Hello over DANE.");
    }

    @Test
    void theMxProbeShowsDnssecTheTlsaRecordsAndWhetherTheCertificateMatches() {
        org.mailslot.transport.internal.probe.SocketSmtpProber prober = org.mailslot.transport.internal.probe.ProbeAccess.prober(tls, mxRouting("dane"));

        MxProbe good = prober.probeMx("dane.test", Duration.ofSeconds(10));
        assertThat(good.mxDnssec()).isEqualTo(DnssecStatus.SECURE);
        assertThat(good.mtaSts()).isEqualTo("none published");
        assertThat(good.policy().toString()).isEqualTo("tls-policy=dane (tls.security.level=dane): 1 of 1 MX hosts can"
                + " be used under it");
        MxProbe.MxHostProbe mx = good.hosts().get(0);
        assertThat(mx.name()).isEqualTo("mx.dane.test");
        assertThat(mx.tlsaDnssec()).isEqualTo(DnssecStatus.SECURE);
        assertThat(mx.tlsa()).singleElement().asString().startsWith("3 1 1 ");
        assertThat(mx.tlsaMatch()).hasValueSatisfying(match -> assertThat(match).startsWith("yes: TLSA 3 1 1 "));
        assertThat(mx.port25()).hasValueSatisfying(port -> assertThat(port.tls()).isPresent());

        MxProbe wrong = prober.probeMx("wrong.test", Duration.ofSeconds(10));
        assertThat(wrong.hosts().get(0).tlsaMatch()).hasValueSatisfying(match -> assertThat(match)
                .startsWith("no: the certificate of the server").contains("matches none of its 1 usable TLSA record"));

        MxProbe plain = prober.probeMx("plain.test", Duration.ofSeconds(10));
        assertThat(plain.mxDnssec()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(plain.hosts().get(0).underPolicy())
                .isEqualTo("opportunistic TLS: the MX records of plain.test are not DNSSEC-signed");

        MxProbe bogus = prober.probeMx("bogus.test", Duration.ofSeconds(10));
        assertThat(bogus.mxDnssec()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(bogus.hosts()).isEmpty();
        assertThat(bogus.error()).hasValueSatisfying(error -> assertThat(error).contains("MX lookup for bogus.test failed"));
    }

    @Test
    void daneOnlyRefusesAnUnsignedZone() {
        transport.setMx(mxRouting("may", "plain.test=dane-only"));

        DeliveryResult result = send("grace@plain.test", "never without dnssec");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.text()).contains("dane-only: the MX records of plain.test are not DNSSEC-signed");
        assertThat(outcome.tlsPolicy().orElseThrow().why()).isEqualTo("tls.policy entry plain.test");
        assertThat(result.attempts()).isEmpty();
    }
}
