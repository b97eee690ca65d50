package org.mailslot.tlsrpt.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.osgi.ServiceAtUse;
import org.mailslot.support.text.ErrorText;

/**
 * Sends one report to the {@code rua} of its policy domain's TLSRPT record: each {@code mailto:} as a
 * message queued with {@link MailSubmission} (so that it is retried, and DKIM-signed when signing is
 * configured, as RFC 8460 section 5.3 asks), each {@code https:} by {@link ReportPost}. Says what became
 * of each destination, one line each.
 */
final class ReportSender {

    private final PolicyDns dns;
    private final ReportPost post;
    private final ServiceAtUse<MailSubmission> submission;
    private final ReportJson.Reporter reporter;
    private final String from;
    private final Clock clock;

    ReportSender(PolicyDns dns, ReportPost post, ServiceAtUse<MailSubmission> submission, ReportJson.Reporter reporter,
            String from, Clock clock) {
        this.dns = dns;
        this.post = post;
        this.submission = submission;
        this.reporter = reporter;
        this.from = from;
        this.clock = clock;
    }

    /**
     * What became of a report.
     *
     * @param destinations one line per rua destination, or why there was none
     * @param settled false if the domain's record could not be looked up: the report is to be sent again
     */
    record Outcome(List<String> destinations, boolean settled) {
    }

    Outcome send(LocalDate day, String domain, String json) {
        String name = TlsRptRecord.nameOf(domain);
        Optional<TlsRptRecord> record;
        try {
            record = TlsRptRecord.of(dns.txt(name).orElse(List.of()));
        } catch (IOException e) {
            return new Outcome(List.of(name + ": " + ErrorText.of(e) + " (tried again at the next run)"), false);
        } catch (IllegalArgumentException e) {
            return new Outcome(List.of(name + ": not a valid TLSRPT record: " + e.getMessage()), true);
        }
        if (record.isEmpty()) {
            return new Outcome(List.of(name + ": no TLSRPT record, not sent"), true);
        }
        byte[] gzip = gzip(json);
        List<String> lines = new ArrayList<>();
        for (URI uri : record.get().rua()) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            lines.add(uri + ": " + (scheme.equals("mailto") ? mail(uri, day, domain, gzip) : https(uri, gzip)));
        }
        return new Outcome(lines, true);
    }

    private String mail(URI uri, LocalDate day, String domain, byte[] gzip) {
        String to = uri.getSchemeSpecificPart();
        int query = to.indexOf('?');
        String recipient = (query < 0 ? to : to.substring(0, query)).strip();
        return submission.apply(spool -> submit(spool, recipient, day, domain, gzip))
                .orElse("not sent: no mail submission service (the spool is not running)");
    }

    private String submit(MailSubmission spool, String to, LocalDate day, String domain, byte[] gzip) {
        try {
            Envelope envelope = Envelope.builder().from(from).to(to).build();
            byte[] message = ReportMail.compose(from, to, reporter, day, domain, gzip, clock.instant().atZone(ZoneOffset.UTC));
            SubmissionReceipt receipt = spool.submit(envelope, new ByteArrayInputStream(message));
            return "queued as " + receipt.id();
        } catch (SubmissionException | IllegalArgumentException e) {
            return "not sent: " + ErrorText.of(e);
        }
    }

    private String https(URI uri, byte[] gzip) {
        try {
            return post.post(uri, gzip);
        } catch (IOException e) {
            return "not sent: " + ErrorText.of(e);
        }
    }

    static byte[] gzip(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
