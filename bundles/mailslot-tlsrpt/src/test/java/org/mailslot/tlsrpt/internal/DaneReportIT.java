package org.mailslot.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.KnotPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.testing.peers.UnboundPeer;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.DestinationTls;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;

/**
 * TLS reports of real MX deliveries under DANE: knot serves the test zones (signed but for
 * {@code plain.test}), unbound validates them, the TLSA records are made with openssl from the
 * certificate of the Postfix MX; {@code dane.test} publishes its TLSRPT record in its signed zone, and
 * its report goes by mail to Postfix. Each report is checked against RFC 8460's JSON schema.
 */
class DaneReportIT {

    private static final String POSTFIX = PostfixPeer.DEFAULT_ADDRESS;

    @TempDir
    static Path dir;

    private static PostfixPeer postfix;
    private static KnotPeer knot;
    private static UnboundPeer unbound;
    private static TlsServiceImpl tls;
    private static String eeKey;

    @BeforeAll
    static void startPeers() throws Exception {
        TestCa ca = TestCa.create();
        IssuedCertificate mx = ca.issueServer(POSTFIX, "mx.dane.test", "mx.wrong.test", "mx.plain.test");
        postfix = PostfixPeer.builder().certificate(mx).domains("dane.test", "wrong.test", "plain.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        Path certificate = mx.writeChainPem(dir.resolve("mx.pem"));
        eeKey = Processes.runChecked(Duration.ofSeconds(10), "sh", "-c", "openssl x509 -in " + certificate
                + " -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1")
                .output().strip();
        assertThat(eeKey).matches("[0-9a-f]{64}");
        String mxRecords = "@ MX 10 mx\nmx A " + POSTFIX + "\n";
        knot = KnotPeer.builder()
                .signedZone("dane.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n"
                        + "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@plain.test\"\n")
                .signedZone("wrong.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + "00".repeat(32) + "\n")
                // Under a trust anchor that is not the zone's key: its MX records are bogus.
                .signedZone("bogus.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n")
                // Valid MX and A records, TLSA records whose signature does not verify.
                .badSignature("tlsa.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n", "_25._tcp.mx", "TLSA")
                // Valid MX records, address records of the MX host whose signature does not verify.
                .badSignature("addr.test", mxRecords + "_25._tcp.mx TLSA 3 1 1 " + eeKey + "\n", "mx", "A")
                .unsignedZone("plain.test", mxRecords)
                .start();
        UnboundPeer.Builder resolver = UnboundPeer.builder().stubZones(knot);
        for (String zone : List.of("dane.test", "wrong.test", "tlsa.test", "addr.test")) {
            knot.ds(zone).forEach(resolver::trustAnchor);
        }
        resolver.trustAnchor(knot.ds("dane.test").get(0).replace("dane.test.", "bogus.test."));
        unbound = resolver.start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTls.service(identity, ca.writeCertificatePem(dir.resolve("ca.pem")));
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

    private static MxRouting mxRouting(String level, String... entries) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return new MxRouting(new DnsMxResolver(unbound.resolver(), Duration.ofSeconds(5)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ZERO, Duration.ofMinutes(10),
                Optional.of("client.test")), 2, TlsPolicies.parse("MX delivery: ", level, entries, () -> d -> Optional.empty()),
                new DestinationTls(new DnssecLookups(unbound.resolver(), Duration.ofSeconds(5), Clock.systemUTC())));
    }

    private static DeliveryResult send(SmtpMailTransport transport, String recipient) {
        byte[] message = ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: to " + recipient
                + "\r\n\r\nHello over DANE.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to(recipient).build();
        return transport.deliver(envelope, MessageSource.of(message), transport.routeFor(MailAddress.parse(recipient)));
    }

    @Test
    void reportsOfRealDaneDeliveriesAreValidAndGoToTheRuaOfTheSignedZone() throws Exception {
        SmtpMailTransport transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        transport.setMx(mxRouting("dane"));
        TlsReporting reporting = MtaStsReportIT.reporting(dir.resolve("tallies"), unbound.resolver());
        transport.setTlsResults(reporting);
        reporting.setSubmission(new MtaStsReportIT.DeliveringSubmission(transport));
        try {
            assertThat(send(transport, "bob@dane.test").allAccepted()).isTrue();
            assertThat(send(transport, "dave@wrong.test").allAccepted()).isFalse();
            assertThat(send(transport, "frank@plain.test").allAccepted()).isTrue();
            assertThat(send(transport, "erin@bogus.test").allAccepted()).isFalse();
            assertThat(send(transport, "heidi@tlsa.test").allAccepted()).isFalse();
            assertThat(send(transport, "ivan@addr.test").allAccepted()).isFalse();
            transport.setMx(mxRouting("may", "plain.test=dane-only"));
            assertThat(send(transport, "grace@plain.test").allAccepted()).isFalse();
            transport.setMx(mxRouting("dane"));

            List<TlsReportRun> runs = reporting.report(LocalDate.now(ZoneOffset.UTC), true);

            assertThat(runs).extracting(TlsReportRun::policyDomain).containsExactly("addr.test", "bogus.test",
                    "dane.test", "plain.test", "tlsa.test", "wrong.test");
            // A bogus MX RRset: the domain, no MX host known; bogus address or TLSA records: the MX host they are of.
            TlsReportRun addr = runs.get(0);
            assertThat(addr.successes()).isZero();
            assertThat(addr.failures()).isEqualTo(1);
            assertThat(addr.json()).contains("\"policy-type\":\"tlsa\"", "\"mx-host\":[\"mx.addr.test\"]",
                    "\"result-type\":\"dnssec-invalid\"", "\"receiving-mx-hostname\":\"mx.addr.test\"")
                    .doesNotContain("receiving-ip");
            TlsReportRun bogus = runs.get(1);
            assertThat(bogus.successes()).isZero();
            assertThat(bogus.failures()).isEqualTo(1);
            assertThat(bogus.json()).contains("\"policy-type\":\"tlsa\"", "\"policy-domain\":\"bogus.test\"",
                    "\"result-type\":\"dnssec-invalid\"").doesNotContain("receiving-mx-hostname", "receiving-ip");
            TlsReportRun tlsa = runs.get(4);
            assertThat(tlsa.failures()).isEqualTo(1);
            assertThat(tlsa.json()).contains("\"policy-type\":\"tlsa\"", "\"mx-host\":[\"mx.tlsa.test\"]",
                    "\"result-type\":\"dnssec-invalid\"", "\"receiving-mx-hostname\":\"mx.tlsa.test\"");
            TlsReportRun dane = runs.get(2);
            assertThat(dane.successes()).isEqualTo(1);
            assertThat(dane.json()).contains("\"policy-type\":\"tlsa\"", "\"policy-string\":[\"3 1 1 " + eeKey + "\"]",
                    "\"mx-host\":[\"mx.dane.test\"]");
            assertThat(dane.destinations()).singleElement().asString().startsWith("mailto:tlsrpt@plain.test: queued as ");
            TlsReportRun plain = runs.get(3);
            assertThat(plain.successes()).isEqualTo(1);
            assertThat(plain.failures()).isEqualTo(1);
            assertThat(plain.json()).contains("\"policy-type\":\"no-policy-found\"", "\"policy-type\":\"tlsa\"",
                    "\"result-type\":\"dane-required\"", "\"receiving-mx-hostname\":\"mx.plain.test\"");
            assertThat(plain.destinations()).containsExactly("_smtp._tls.plain.test: no TLSRPT record, not sent");
            TlsReportRun wrong = runs.get(5);
            assertThat(wrong.failures()).isEqualTo(1);
            // Our address on the connection: loopback's own, the kernel's source address for 127.0.0.0/8.
            assertThat(wrong.json()).contains("\"result-type\":\"tlsa-invalid\"", "\"receiving-ip\":\"" + POSTFIX + "\"",
                    "\"sending-mta-ip\":\"127.0.0.1\"",
                    "\"policy-string\":[\"3 1 1 " + "00".repeat(32) + "\"]");

            List<Path> files = new ArrayList<>();
            for (TlsReportRun run : runs) {
                files.add(Files.writeString(dir.resolve(run.policyDomain() + ".json"), run.json()));
            }
            MtaStsReportIT.assertValid(files);
            await().atMost(Duration.ofSeconds(20)).until(() -> postfix.messages().stream().anyMatch(path -> {
                try {
                    return Files.readString(path, StandardCharsets.US_ASCII).contains("TLS-Report-Domain: dane.test");
                } catch (java.io.IOException e) {
                    return false;
                }
            }));
        } finally {
            reporting.deactivate();
            transport.deactivate();
        }
    }
}
