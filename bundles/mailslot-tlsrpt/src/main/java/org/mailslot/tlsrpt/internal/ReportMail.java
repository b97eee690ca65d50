package org.mailslot.tlsrpt.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

/**
 * The report as a message (RFC 8460 section 5.3): {@code multipart/report; report-type="tlsrpt"}, a
 * text part for people, and the gzipped JSON as {@code application/tlsrpt+gzip}, named
 * {@code submitter!policy-domain!begin!end!id.json.gz}, with the {@code TLS-Report-Domain} and
 * {@code TLS-Report-Submitter} header fields. CRLF line ends, 7bit throughout.
 */
final class ReportMail {

    private ReportMail() {
    }

    /**
     * @param from the From address (and envelope sender)
     * @param to the rua address
     * @param reporter who reports
     * @param day the day reported
     * @param domain the policy domain
     * @param gzip the gzipped report
     * @param now the Date of the message
     */
    static byte[] compose(String from, String to, ReportJson.Reporter reporter, LocalDate day, String domain,
            byte[] gzip, ZonedDateTime now) {
        String reportId = ReportJson.reportId(day, domain, reporter.submitter());
        String unique = UUID.randomUUID().toString();
        String boundary = "tlsrpt-" + unique;
        long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        String filename = reporter.submitter() + "!" + domain + "!" + begin + "!" + end + "!" + unique.substring(0, 8)
                + ".json.gz";
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(now)).append("\r\n");
        m.append("Subject: Report Domain: ").append(domain).append(" Submitter: ").append(reporter.submitter())
                .append(" Report-ID: <").append(reportId).append(">\r\n");
        m.append("Message-ID: <").append(unique).append('@').append(reporter.submitter()).append(">\r\n");
        m.append("TLS-Report-Domain: ").append(domain).append("\r\n");
        m.append("TLS-Report-Submitter: ").append(reporter.submitter()).append("\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n\tboundary=\"").append(boundary)
                .append("\"\r\n\r\n");
        m.append("This is a multipart message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n");
        m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
        m.append("This is an aggregate TLS report (RFC 8460) from ").append(ascii(reporter.organization())).append(" about mail")
                .append("\r\nsent to ").append(domain).append(" from ").append(ReportJson.start(day)).append(" to ")
                .append(ReportJson.end(day)).append(".\r\nQuestions: ").append(ascii(reporter.contact())).append("\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: application/tlsrpt+gzip; name=\"").append(filename).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n");
        m.append("Content-Disposition: attachment; filename=\"").append(filename).append("\"\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gzip)).append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The text part is US-ASCII; the JSON keeps the names as configured. */
    private static String ascii(String text) {
        return text.codePoints().map(c -> c >= 0x20 && c < 0x7f ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
