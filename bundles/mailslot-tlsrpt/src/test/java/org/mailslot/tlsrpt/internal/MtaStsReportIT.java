package org.mailslot.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.Route;
import org.mailslot.support.net.MxDnsSettings;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.NginxPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.mailslot.transport.internal.mtasts.MtaStsComponent;

/**
 * TLS reports of real MX deliveries under MTA-STS, sent for real: Debian's dnsmasq publishes the
 * {@code _mta-sts} and {@code _smtp._tls} TXT records, nginx serves the policies and takes the HTTPS
 * POSTs, a private Postfix is every domain's MX and the mailbox of the {@code mailto:} rua. Each report
 * is checked against the JSON schema of RFC 8460 section 4.4 with Debian's python3-jsonschema.
 */
class MtaStsReportIT {

    private static final String POSTFIX = PostfixPeer.DEFAULT_ADDRESS;
    private static final String NGINX = NginxPeer.DEFAULT_ADDRESS;
    /** Our address towards the peers: loopback's own (the kernel's source address for 127.0.0.0/8). */
    private static final String LOCAL = "127.0.0.1";
    private static final String POLICY = ".well-known/mta-sts.txt";
    /** MX hosts of their own: an expired certificate, one from another CA, no STARTTLS. */
    private static final String EXPIRED = "127.0.0.5";
    private static final String FOREIGN = "127.0.0.6";
    private static final String CLEAR = "127.0.0.7";
    private static final List<String> DOMAINS = List.of("badcert.test", "missing.test", "outside.test", "sts.test",
            "stsexpired.test", "testexpired.test", "testing.test", "testok.test", "testoutside.test", "testplain.test",
            "testuntrusted.test", "untrusted.test");
    private static final Map<String, String> MX_ADDRESSES = Map.of("stsexpired.test", EXPIRED, "testexpired.test",
            EXPIRED, "testuntrusted.test", FOREIGN, "testplain.test", CLEAR);
    private static final String RUA = "\"v=TLSRPTv1; rua=mailto:tlsrpt@reports.test,https://tlsrpt.reports.test/v1/tlsrpt\"";

    @TempDir
    static Path dir;

    private static DnsmasqPeer dns;
    private static NginxPeer nginx;
    private static PostfixPeer postfix;
    private static PostfixPeer expired;
    private static PostfixPeer foreign;
    private static PostfixPeer clear;
    private static TlsServiceImpl tls;

    @BeforeAll
    static void startPeers() throws Exception {
        TestCa ca = TestCa.create();
        nginx = NginxPeer.builder()
                .site("mta-sts.sts.test", ca.issueServer("mta-sts.sts.test"))
                .file("mta-sts.sts.test", POLICY, "version: STSv1\nmode: enforce\nmx: mx.sts.test\nmax_age: 86400\n")
                .site("mta-sts.outside.test", ca.issueServer("mta-sts.outside.test"))
                .file("mta-sts.outside.test", POLICY, "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n")
                .site("mta-sts.badcert.test", ca.issueServer("mta-sts.badcert.test"))
                .file("mta-sts.badcert.test", POLICY, "version: STSv1\nmode: enforce\nmx: mx.badcert.test\nmax_age: 86400\n")
                .site("mta-sts.untrusted.test", ca.issueUntrustedServer("mta-sts.untrusted.test"))
                .file("mta-sts.untrusted.test", POLICY, "version: STSv1\nmode: enforce\nmx: mx.untrusted.test\nmax_age: 86400\n")
                .site("mta-sts.missing.test", ca.issueServer("mta-sts.missing.test"))
                .site("mta-sts.testing.test", ca.issueServer("mta-sts.testing.test"))
                .file("mta-sts.testing.test", POLICY, "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 86400\n")
                .site("mta-sts.testok.test", ca.issueServer("mta-sts.testok.test"))
                .file("mta-sts.testok.test", POLICY, "version: STSv1\nmode: testing\nmx: mx.testok.test\nmax_age: 86400\n")
                .site("mta-sts.testoutside.test", ca.issueServer("mta-sts.testoutside.test"))
                .file("mta-sts.testoutside.test", POLICY,
                        "version: STSv1\nmode: testing\nmx: *.elsewhere.test\nmax_age: 86400\n")
                .site("mta-sts.stsexpired.test", ca.issueServer("mta-sts.stsexpired.test"))
                .file("mta-sts.stsexpired.test", POLICY,
                        "version: STSv1\nmode: enforce\nmx: mx.stsexpired.test\nmax_age: 86400\n")
                .site("mta-sts.testexpired.test", ca.issueServer("mta-sts.testexpired.test"))
                .file("mta-sts.testexpired.test", POLICY,
                        "version: STSv1\nmode: testing\nmx: mx.testexpired.test\nmax_age: 86400\n")
                .site("mta-sts.testuntrusted.test", ca.issueServer("mta-sts.testuntrusted.test"))
                .file("mta-sts.testuntrusted.test", POLICY,
                        "version: STSv1\nmode: testing\nmx: mx.testuntrusted.test\nmax_age: 86400\n")
                .site("mta-sts.testplain.test", ca.issueServer("mta-sts.testplain.test"))
                .file("mta-sts.testplain.test", POLICY,
                        "version: STSv1\nmode: testing\nmx: mx.testplain.test\nmax_age: 86400\n")
                .site("tlsrpt.reports.test", ca.issueServer("tlsrpt.reports.test"))
                .receiver("tlsrpt.reports.test", "/v1/tlsrpt")
                .start();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(POSTFIX, "mx.sts.test", "mx.outside.test",
                        "mx.testok.test", "mx.testoutside.test"))
                .domains("sts.test", "outside.test", "badcert.test", "untrusted.test", "missing.test", "testing.test",
                        "testok.test", "testoutside.test", "reports.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        expired = PostfixPeer.builder().address(EXPIRED).hostname("mx.testexpired.test")
                .certificate(ca.issueExpiredServer("mx.testexpired.test", "mx.stsexpired.test"))
                .domains("testexpired.test", "stsexpired.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        foreign = PostfixPeer.builder().address(FOREIGN).hostname("mx.testuntrusted.test")
                .certificate(ca.issueUntrustedServer("mx.testuntrusted.test")).domains("testuntrusted.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        clear = PostfixPeer.builder().address(CLEAR).hostname("mx.testplain.test")
                .certificate(ca.issueServer("mx.testplain.test")).domains("testplain.test")
                .listenerOption(Listener.RELAY, "smtpd_tls_security_level", "none")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .start();
        DnsmasqPeer.Builder records = DnsmasqPeer.builder().localDomain("test");
        StringBuilder tlsrpt = new StringBuilder();
        for (String domain : DOMAINS) {
            records.host("mta-sts." + domain, NGINX).option("--txt-record=_mta-sts." + domain + ",v=STSv1; id=20261207;")
                    .mx(domain, "mx." + domain, 10).host("mx." + domain, MX_ADDRESSES.getOrDefault(domain, POSTFIX));
            tlsrpt.append("txt-record=_smtp._tls.").append(domain).append(',').append(RUA).append('\n');
        }
        // The rua's comma in a TXT string: dnsmasq reads quotes in a configuration file, not on its command line.
        Path conf = Files.writeString(dir.resolve("tlsrpt.conf"), tlsrpt);
        records.option("--conf-file=" + conf);
        records.mx("reports.test", "mx.reports.test", 10).host("mx.reports.test", POSTFIX)
                .host("tlsrpt.reports.test", NGINX);
        dns = records.start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTls.service(identity, ca.writeCertificatePem(dir.resolve("ca.pem")));
    }

    @AfterAll
    static void stopPeers() {
        for (AutoCloseable peer : new AutoCloseable[] {postfix, expired, foreign, clear, dns, nginx}) {
            try {
                if (peer != null) {
                    peer.close();
                }
            } catch (Exception e) {
                // The others are stopped still.
            }
        }
    }

    @Test
    void reportsOfRealDeliveriesAreValidAndReachTheRuaByMailAndHttps() throws Exception {
        MtaStsComponent mtaSts = new MtaStsComponent(ComponentConfig.of(MxRouting.Config.class, Map.of("resolver",
                dns.resolver(), "dns.timeout", "2", "mta-sts.directory", dir.resolve("policies").toString())), tls);
        SmtpMailTransport transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        transport.setMx(new MxRouting(new DnsMxResolver(dns.resolver(), Duration.ofSeconds(2)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Optional.of("client.test")),
                2, TlsPolicies.parse("MX delivery: ", "may", new String[0], () -> mtaSts)));
        TlsReporting reporting = reporting(dir.resolve("tallies"), dns.resolver());
        transport.setTlsResults(reporting);
        reporting.setSubmission(new DeliveringSubmission(transport));
        try {
            assertThat(send(transport, "bob@sts.test").allAccepted()).isTrue();
            assertThat(send(transport, "carol@outside.test").allAccepted()).isFalse();
            assertThat(send(transport, "dave@badcert.test").allAccepted()).isFalse();
            // No policy to be had: delivered as without one, and each session meanwhile reported failed for it.
            assertThat(send(transport, "erin@untrusted.test").allAccepted()).isTrue();
            assertThat(send(transport, "frank@missing.test").allAccepted()).isTrue();
            assertThat(send(transport, "fred@missing.test").allAccepted()).isTrue();
            // Testing mode: verified as under enforce, delivered whatever the outcome, what failed reported.
            DeliveryResult testing = send(transport, "grace@testing.test");
            assertThat(testing.allAccepted()).isTrue();
            assertThat(testing.recipients().get(0).tls()).hasValueSatisfying(tls -> assertThat(tls.verificationError())
                    .hasValueSatisfying(error -> assertThat(error).contains("No name matching mx.testing.test found")));
            assertThat(testing.recipients().get(0).tlsPolicy().orElseThrow().result())
                    .contains("MTA-STS testing").endsWith("reported: certificate-host-mismatch");
            DeliveryResult testok = send(transport, "heidi@testok.test");
            assertThat(testok.allAccepted()).isTrue();
            assertThat(testok.recipients().get(0).tls()).hasValueSatisfying(tls -> assertThat(tls.verified()).isTrue());
            assertThat(send(transport, "ivan@testoutside.test").allAccepted()).isTrue();
            // The same expired certificate: enforce defers, testing delivers and reports.
            DeliveryResult stsExpired = send(transport, "judy@stsexpired.test");
            assertThat(stsExpired.allAccepted()).isFalse();
            assertThat(stsExpired.recipients().get(0).text()).contains("NotAfter");
            DeliveryResult testExpired = send(transport, "karl@testexpired.test");
            assertThat(testExpired.allAccepted()).isTrue();
            assertThat(testExpired.recipients().get(0).tlsPolicy().orElseThrow().result())
                    .endsWith("reported: certificate-expired");
            DeliveryResult testUntrusted = send(transport, "lena@testuntrusted.test");
            assertThat(testUntrusted.allAccepted()).isTrue();
            assertThat(testUntrusted.recipients().get(0).tlsPolicy().orElseThrow().result())
                    .endsWith("reported: certificate-not-trusted");
            DeliveryResult testPlain = send(transport, "mike@testplain.test");
            assertThat(testPlain.allAccepted()).isTrue();
            assertThat(testPlain.recipients().get(0).tls()).isEmpty();
            // Over the pooled connection: one more message, no more sessions.
            assertThat(send(transport, "nina@testplain.test").allAccepted()).isTrue();
            assertThat(expired.awaitMessages(1, Duration.ofSeconds(20))).singleElement()
                    .satisfies(path -> assertThat(read(path)).contains("Subject: to karl@testexpired.test", "with ESMTPS id"));
            assertThat(foreign.awaitMessages(1, Duration.ofSeconds(20))).singleElement()
                    .satisfies(path -> assertThat(read(path)).contains("Subject: to lena@testuntrusted.test"));
            // Postfix's Received line says ESMTP in clear, ESMTPS over TLS (RFC 3848).
            assertThat(clear.awaitMessages(2, Duration.ofSeconds(20))).hasSize(2)
                    .allSatisfy(path -> assertThat(read(path)).contains("with ESMTP id"));
            assertThat(clear.logLines(25)).filteredOn(line -> line.contains(": connect from ")).hasSize(1);
            for (String subject : List.of("to grace@testing.test", "to heidi@testok.test", "to ivan@testoutside.test")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> postfix.messages().stream()
                        .anyMatch(path -> read(path).contains("Subject: " + subject)));
            }

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            List<TlsReportRun> runs = reporting.report(today, true);

            assertThat(runs).extracting(TlsReportRun::policyDomain).containsExactlyElementsOf(DOMAINS);
            Map<String, TlsReportRun> byDomain = new HashMap<>();
            runs.forEach(run -> byDomain.put(run.policyDomain(), run));
            TlsReportRun badcert = byDomain.get("badcert.test");
            assertThat(badcert.failures()).isEqualTo(1);
            assertThat(badcert.json()).contains("\"policy-type\":\"sts\"", "\"mx: mx.badcert.test\"",
                    "\"result-type\":\"certificate-host-mismatch\"", "\"receiving-mx-hostname\":\"mx.badcert.test\"",
                    "\"receiving-ip\":\"" + POSTFIX + "\"", "\"sending-mta-ip\":\"" + LOCAL + "\"");
            // Two messages over one pooled connection: one session, failed for the policy that could not be fetched.
            TlsReportRun missing = byDomain.get("missing.test");
            assertThat(missing.successes()).isZero();
            assertThat(missing.failures()).isEqualTo(1);
            assertThat(missing.json()).contains("\"policy-type\":\"sts\"", "\"result-type\":\"sts-policy-fetch-error\"",
                    "\"receiving-mx-hostname\":\"mx.missing.test\"", "\"receiving-ip\":\"" + POSTFIX + "\"",
                    "\"sending-mta-ip\":\"" + LOCAL + "\"").doesNotContain("no-policy-found");
            TlsReportRun untrusted = byDomain.get("untrusted.test");
            assertThat(untrusted.failures()).isEqualTo(1);
            assertThat(untrusted.json()).contains("\"result-type\":\"sts-webpki-invalid\"",
                    "\"receiving-mx-hostname\":\"mx.untrusted.test\"");
            assertThat(byDomain.get("outside.test").json()).contains("\"result-type\":\"validation-failure\"",
                    "\"failure-reason-code\":\"mx-not-in-policy\"", "\"mx-host\":[\"*.elsewhere.test\"]");
            TlsReportRun testingRun = byDomain.get("testing.test");
            assertThat(testingRun.successes()).isZero();
            assertThat(testingRun.failures()).isEqualTo(1);
            assertThat(testingRun.json()).contains("\"mode: testing\"", "\"result-type\":\"certificate-host-mismatch\"",
                    "\"receiving-mx-hostname\":\"mx.testing.test\"", "\"receiving-ip\":\"" + POSTFIX + "\"",
                    "\"sending-mta-ip\":\"" + LOCAL + "\"");
            TlsReportRun testokRun = byDomain.get("testok.test");
            assertThat(testokRun.successes()).isEqualTo(1);
            assertThat(testokRun.failures()).isZero();
            assertThat(testokRun.json()).contains("\"mode: testing\"");
            TlsReportRun testoutside = byDomain.get("testoutside.test");
            assertThat(testoutside.failures()).isEqualTo(1);
            assertThat(testoutside.json()).contains("\"result-type\":\"validation-failure\"",
                    "\"failure-reason-code\":\"mx-not-in-policy\"", "\"receiving-mx-hostname\":\"mx.testoutside.test\"");
            TlsReportRun stsExpiredRun = byDomain.get("stsexpired.test");
            assertThat(stsExpiredRun.failures()).isEqualTo(1);
            assertThat(stsExpiredRun.json()).contains("\"mode: enforce\"", "\"result-type\":\"certificate-expired\"",
                    "\"receiving-ip\":\"" + EXPIRED + "\"", "\"sending-mta-ip\":\"" + LOCAL + "\"");
            TlsReportRun testExpiredRun = byDomain.get("testexpired.test");
            assertThat(testExpiredRun.successes()).isZero();
            assertThat(testExpiredRun.failures()).isEqualTo(1);
            assertThat(testExpiredRun.json()).contains("\"mode: testing\"", "\"result-type\":\"certificate-expired\"",
                    "\"receiving-mx-hostname\":\"mx.testexpired.test\"", "\"receiving-ip\":\"" + EXPIRED + "\"",
                    "\"sending-mta-ip\":\"" + LOCAL + "\"");
            TlsReportRun testUntrustedRun = byDomain.get("testuntrusted.test");
            assertThat(testUntrustedRun.successes()).isZero();
            assertThat(testUntrustedRun.failures()).isEqualTo(1);
            assertThat(testUntrustedRun.json()).contains("\"mode: testing\"",
                    "\"result-type\":\"certificate-not-trusted\"", "\"receiving-mx-hostname\":\"mx.testuntrusted.test\"",
                    "\"receiving-ip\":\"" + FOREIGN + "\"", "\"sending-mta-ip\":\"" + LOCAL + "\"");
            TlsReportRun testPlainRun = byDomain.get("testplain.test");
            assertThat(testPlainRun.successes()).isZero();
            assertThat(testPlainRun.failures()).isEqualTo(1);
            assertThat(testPlainRun.json()).contains("\"mode: testing\"", "\"result-type\":\"starttls-not-supported\"",
                    "\"receiving-mx-hostname\":\"mx.testplain.test\"", "\"receiving-ip\":\"" + CLEAR + "\"",
                    "\"sending-mta-ip\":\"" + LOCAL + "\"");
            TlsReportRun sts = byDomain.get("sts.test");
            assertThat(sts.successes()).isEqualTo(1);
            assertThat(sts.failures()).isZero();
            assertThat(sts.json()).contains("\"policy-string\":[\"version: STSv1\",\"mode: enforce\",\"mx: mx.sts.test\","
                    + "\"max_age: 86400\"]");
            List<Path> files = new ArrayList<>();
            for (TlsReportRun run : runs) {
                assertThat(run.destinations()).hasSize(2);
                assertThat(run.destinations().get(0)).startsWith("mailto:tlsrpt@reports.test: queued as ");
                assertThat(run.destinations().get(1)).isEqualTo("https://tlsrpt.reports.test/v1/tlsrpt: HTTP/1.1 200 OK");
                Path file = dir.resolve(run.policyDomain() + ".json");
                Files.writeString(file, run.json());
                files.add(file);
            }
            assertValid(files);

            // nginx kept each POST's body: gzip of the report, sent as application/tlsrpt+gzip.
            List<NginxPeer.Post> posts = await().atMost(Duration.ofSeconds(10)).until(nginx::posts, p -> p.size() == runs.size());
            List<String> posted = new ArrayList<>();
            for (NginxPeer.Post post : posts) {
                assertThat(post.method()).isEqualTo("POST");
                assertThat(post.uri()).isEqualTo("/v1/tlsrpt");
                assertThat(post.contentType()).isEqualTo("application/tlsrpt+gzip");
                posted.add(gunzip(Files.newInputStream(post.body())));
            }
            assertThat(posted).containsExactlyInAnyOrderElementsOf(runs.stream().map(TlsReportRun::json).toList());

            // Postfix took one report message per domain: multipart/report, the gzipped JSON attached.
            List<MimeMessage> messages = await().atMost(Duration.ofSeconds(20)).until(MtaStsReportIT::reportMessages,
                    m -> m.size() == runs.size());
            Map<String, String> mailed = new HashMap<>();
            List<Path> attachments = new ArrayList<>();
            for (MimeMessage message : messages) {
                String domain = message.getHeader("TLS-Report-Domain", null);
                assertThat(message.getHeader("TLS-Report-Submitter", null)).isEqualTo("mail.sender.test");
                assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=\"tlsrpt\"");
                assertThat(message.getSubject()).startsWith("Report Domain: " + domain + " Submitter: mail.sender.test"
                        + " Report-ID: <");
                Part report = ((MimeMultipart) message.getContent()).getBodyPart(1);
                assertThat(report.getContentType()).startsWith("application/tlsrpt+gzip");
                assertThat(report.getFileName()).startsWith("mail.sender.test!" + domain + "!").endsWith(".json.gz");
                byte[] gz = report.getInputStream().readAllBytes();
                Path attachment = dir.resolve("mailed-" + domain + ".json.gz");
                Files.write(attachment, gz);
                attachments.add(attachment);
                mailed.put(domain, gunzip(new ByteArrayInputStream(gz)));
            }
            assertThat(mailed.keySet()).containsExactlyInAnyOrderElementsOf(DOMAINS);
            runs.forEach(run -> assertThat(mailed.get(run.policyDomain())).isEqualTo(run.json()));
            assertValid(attachments);
        } finally {
            reporting.deactivate();
            transport.deactivate();
            mtaSts.deactivate();
        }
    }

    private static String read(Path message) {
        try {
            return Files.readString(message, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the messages in Postfix's mailbox that are TLS reports (the mail delivered to the domains is there too) */
    private static List<MimeMessage> reportMessages() throws Exception {
        List<MimeMessage> reports = new ArrayList<>();
        for (Path path : postfix.messages()) {
            try (InputStream in = Files.newInputStream(path)) {
                MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
                if (message.getHeader("TLS-Report-Domain", null) != null) {
                    message.getContent();
                    reports.add(message);
                }
            }
        }
        return reports;
    }

    static TlsReporting reporting(Path directory, String resolver) {
        return new TlsReporting(ComponentConfig.of(TlsReporting.Config.class, Map.of("directory", directory.toString(),
                "submitter", "mail.sender.test", "organization.name", "Mailslot tests", "contact.info",
                "tlsrpt@sender.test")), tls, () -> new MxDnsSettings(resolver, Duration.ofSeconds(2)), Clock.systemUTC(),
                false);
    }

    private static DeliveryResult send(SmtpMailTransport transport, String recipient) {
        byte[] message = ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: to " + recipient
                + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to(recipient).build();
        return transport.deliver(envelope, MessageSource.of(message), transport.routeFor(MailAddress.parse(recipient)));
    }

    /** Runs Debian's python3-jsonschema with the schema transcribed from RFC 8460 section 4.4. */
    static void assertValid(List<Path> reports) throws Exception {
        Path schema = Path.of(MtaStsReportIT.class.getResource("/rfc8460-report.schema.json").toURI());
        Path script = Path.of(MtaStsReportIT.class.getResource("/validate-tlsrpt.py").toURI());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), schema.toString()));
        reports.forEach(report -> command.add(report.toString()));
        Processes.Result result = Processes.run(Duration.ofSeconds(30), command);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(reports.get(0) + ": valid");
    }

    static String gunzip(InputStream gz) throws IOException {
        try (InputStream in = new GZIPInputStream(gz)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What the spool would do with a report message, done at once: delivered by the real transport. */
    static final class DeliveringSubmission implements MailSubmission {

        private final SmtpMailTransport transport;

        DeliveringSubmission(SmtpMailTransport transport) {
            this.transport = transport;
        }

        @Override
        public MessageWriter begin(Envelope envelope) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            return new MessageWriter() {
                @Override
                public void write(byte[] octets, int offset, int length) {
                    bytes.write(octets, offset, length);
                }

                @Override
                public SubmissionReceipt commit() throws SubmissionException {
                    MailAddress recipient = envelope.recipients().get(0).address();
                    DeliveryResult result = transport.deliver(envelope, MessageSource.of(bytes.toByteArray()),
                            transport.routeFor(recipient));
                    if (!result.allAccepted()) {
                        throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE, result.toString());
                    }
                    return new SubmissionReceipt("delivered-" + System.nanoTime(), Instant.now(), bytes.size());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
