package org.mailslot.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.support.net.MxDnsSettings;
import org.mailslot.testing.peers.ComponentConfig;

class TlsReportingTest {

    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-12-07");
    private static final List<String> STS = List.of("version: STSv1", "mode: enforce", "mx: mx.sts.test", "max_age: 86400");

    @TempDir
    Path dir;

    private TlsReporting reporting(Map<String, Object> more) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("directory", dir.toString(),
                "submitter", "mail.sender.test", "organization.name", "Sender Org", "contact.info", "tlsrpt@sender.test"));
        properties.putAll(more);
        return new TlsReporting(ComponentConfig.of(TlsReporting.Config.class, properties), null, MxDnsSettings::defaults,
                Clock.fixed(NOON, ZoneOffset.UTC), false);
    }

    private static TlsSessionResult sts(Optional<TlsResultType> failure) {
        return new TlsSessionResult(NOON, "sts.test", TlsPolicyType.STS, STS, List.of("mx.sts.test"), "mx.sts.test",
                "127.0.0.2", "", failure, "");
    }

    private static TlsSessionResult tlsa(Optional<TlsResultType> failure) {
        return new TlsSessionResult(NOON, "dane.test", TlsPolicyType.TLSA, List.of("3 1 1 ab12"), List.of("mx.dane.test"),
                "mx.dane.test", "127.0.0.2", "", failure, "");
    }

    @Test
    void sessionsOfADayAreCountedPerPolicyDomainAndWrittenAsRfc8460Json() {
        TlsReporting reporting = reporting(Map.of());
        reporting.record(sts(Optional.empty()));
        reporting.record(sts(Optional.empty()));
        reporting.record(sts(Optional.of(TlsResultType.CERTIFICATE_HOST_MISMATCH)));
        reporting.record(tlsa(Optional.of(TlsResultType.TLSA_INVALID)));
        reporting.record(tlsa(Optional.of(TlsResultType.TLSA_INVALID)));

        List<TlsReportRun> runs = reporting.report(DAY, false);

        assertThat(runs).extracting(TlsReportRun::policyDomain).containsExactly("dane.test", "sts.test");
        TlsReportRun sts = runs.get(1);
        assertThat(sts.successes()).isEqualTo(2);
        assertThat(sts.failures()).isEqualTo(1);
        assertThat(sts.reportId()).isEqualTo("2026-12-07T00:00:00Z_sts.test@mail.sender.test");
        assertThat(sts.destinations()).isEmpty();
        assertThat(sts.json()).isEqualTo("{\"organization-name\":\"Sender Org\",\"date-range\":{\"start-datetime\":"
                + "\"2026-12-07T00:00:00Z\",\"end-datetime\":\"2026-12-08T00:00:00Z\"},\"contact-info\":"
                + "\"tlsrpt@sender.test\",\"report-id\":\"2026-12-07T00:00:00Z_sts.test@mail.sender.test\",\"policies\":"
                + "[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: enforce\","
                + "\"mx: mx.sts.test\",\"max_age: 86400\"],\"policy-domain\":\"sts.test\",\"mx-host\":[\"mx.sts.test\"]},"
                + "\"summary\":{\"total-successful-session-count\":2,\"total-failure-session-count\":1},"
                + "\"failure-details\":[{\"result-type\":\"certificate-host-mismatch\",\"receiving-mx-hostname\":"
                + "\"mx.sts.test\",\"receiving-ip\":\"127.0.0.2\",\"failed-session-count\":1}]}]}");
        assertThat(runs.get(0).json()).contains("\"policy-type\":\"tlsa\"", "\"policy-string\":[\"3 1 1 ab12\"]",
                "\"total-successful-session-count\":0", "\"total-failure-session-count\":2",
                "\"result-type\":\"tlsa-invalid\"", "\"failed-session-count\":2");
        assertThat(reporting.report(DAY.minusDays(1), false)).isEmpty();
    }

    @Test
    void aRestartLosesNothingCounted() {
        TlsReporting before = reporting(Map.of());
        before.record(sts(Optional.empty()));
        before.record(sts(Optional.of(TlsResultType.STARTTLS_NOT_SUPPORTED)));
        before.deactivate();

        TlsReporting after = reporting(Map.of());
        after.record(sts(Optional.empty()));

        TlsReportRun run = after.report(DAY, false).get(0);
        assertThat(run.successes()).isEqualTo(2);
        assertThat(run.failures()).isEqualTo(1);
        assertThat(run.json()).contains("\"result-type\":\"starttls-not-supported\"");
    }

    @Test
    void anUnreadableTallyIsMovedAsideNotOverwritten() throws IOException {
        Files.writeString(dir.resolve(DAY + ".tally"), "success two sts sts.test\n");

        TlsReporting reporting = reporting(Map.of());
        reporting.record(sts(Optional.empty()));
        reporting.flush();

        assertThat(reporting.report(DAY, false).get(0).successes()).isEqualTo(1);
        try (var files = Files.list(dir)) {
            Path aside = files.filter(f -> f.getFileName().toString().startsWith(DAY + ".tally.unreadable-"))
                    .findFirst().orElseThrow();
            assertThat(Files.readString(aside)).isEqualTo("success two sts sts.test\n");
        }
    }

    @Test
    void offCountsNothingAndSaysSo() {
        TlsReporting reporting = reporting(Map.of("enabled", false));
        reporting.record(sts(Optional.empty()));

        assertThatThrownBy(() -> reporting.report(DAY, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.mailslot.tlsrpt enabled=false");
    }

    @Test
    void badConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> reporting(Map.of("send.time", "1 am"))).hasMessageContaining("send.time");
        assertThatThrownBy(() -> reporting(Map.of("from", "not an address"))).hasMessageContaining("from");
        assertThatThrownBy(() -> reporting(Map.of("keep.days", 0))).hasMessageContaining("keep.days");
    }

    @Test
    void theReportMessageIsAMultipartReportWithTheGzippedJson() throws Exception {
        String json = "{\"report-id\":\"x\"}";
        byte[] bytes = ReportMail.compose("noreply-tlsrpt@sender.test", "tlsrpt@sts.test",
                new ReportJson.Reporter("Sender Org", "tlsrpt@sender.test", "mail.sender.test"), DAY, "sts.test",
                ReportSender.gzip(json), NOON.atZone(ZoneOffset.UTC));

        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(message.getHeader("TLS-Report-Domain", null)).isEqualTo("sts.test");
        assertThat(message.getHeader("TLS-Report-Submitter", null)).isEqualTo("mail.sender.test");
        assertThat(message.getSubject()).isEqualTo("Report Domain: sts.test Submitter: mail.sender.test"
                + " Report-ID: <2026-12-07T00:00:00Z_sts.test@mail.sender.test>");
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=\"tlsrpt\"");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        var report = parts.getBodyPart(1);
        assertThat(report.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(report.getFileName()).isEqualTo("mail.sender.test!sts.test!1796601600!1796688000!"
                + report.getFileName().split("!")[4]).endsWith(".json.gz");
        try (GZIPInputStream in = new GZIPInputStream(report.getInputStream())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
    }

    @Test
    void theTlsrptRecordGivesItsRuaAndOnlyOneRecordCounts() {
        assertThat(TlsRptRecord.of(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:tlsrpt@sts.test, https://r.sts.test/up")))
                .hasValueSatisfying(r -> assertThat(r.rua()).extracting(Object::toString)
                        .containsExactly("mailto:tlsrpt@sts.test", "https://r.sts.test/up"));
        assertThat(TlsRptRecord.of(List.of("v=TLSRPTv1;rua=mailto:a@x.test", "v=TLSRPTv1;rua=mailto:b@x.test"))).isEmpty();
        assertThat(TlsRptRecord.of(List.of())).isEmpty();
        assertThat(TlsRptRecord.of(List.of("v=TLSRPTv1; rua=ftp://x.test/, mailto:a@x.test")))
                .hasValueSatisfying(r -> assertThat(r.rua()).extracting(Object::toString).containsExactly("mailto:a@x.test"));
        assertThatThrownBy(() -> TlsRptRecord.of(List.of("v=TLSRPTv1; ruf=mailto:a@x.test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rua");
    }
}
