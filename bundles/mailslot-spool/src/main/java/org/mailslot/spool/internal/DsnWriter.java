package org.mailslot.spool.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;

/**
 * Writes the delivery status notification (RFC 3464 {@code multipart/report}) that tells a sender
 * which recipients failed, with the original headers — or the whole message with {@code RET=FULL}
 * — and submits it with the null reverse path, so that it is never bounced in turn.
 */
final class DsnWriter {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /**
     * @param recipient the recipient that failed
     * @param status the enhanced status code, such as 5.1.1 or 4.4.7 (expired)
     * @param diagnosticType {@code smtp} for a reply, {@code X-Mailslot} for anything else
     * @param diagnostic the reply or the reason
     * @param remoteMta the host that replied, or empty
     */
    record Failure(Recipient recipient, String status, String diagnosticType, String diagnostic, String remoteMta) {
    }

    private DsnWriter() {
    }

    static SubmissionReceipt submit(MailSubmission spool, SpoolEntry original, List<Failure> failures, String reportingMta,
            Instant now) throws SubmissionException {
        MailAddress sender = original.envelope.reversePath()
                .orElseThrow(() -> new IllegalArgumentException("Never a bounce for a bounce: " + original.id));
        boolean eightBit = original.envelope.bodyType() != BodyType.SEVEN_BIT
                || failures.stream().anyMatch(f -> f.recipient().address().requiresSmtpUtf8());
        Envelope envelope = Envelope.builder().from((MailAddress) null).to(sender)
                .bodyType(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT).build();
        try (MessageWriter writer = spool.begin(envelope)) {
            try (OutputStream out = new BufferedOutputStream(writer.asOutputStream(), 64 * 1024)) {
                write(out, original, sender, failures, reportingMta, now);
            } catch (IOException e) {
                if (e.getCause() instanceof SubmissionException refused) {
                    throw refused;
                }
                throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                        "Could not read the original message " + original.id + ": " + e.getMessage(), e);
            }
            return writer.commit();
        }
    }

    static void write(OutputStream out, SpoolEntry original, MailAddress sender, List<Failure> failures,
            String reportingMta, Instant now) throws IOException {
        String boundary = "=_dsn_" + UUID.randomUUID();
        boolean full = original.envelope.dsnReturn().orElse(DsnReturn.HDRS) == DsnReturn.FULL;
        StringBuilder head = new StringBuilder()
                .append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n")
                .append("To: <").append(sender).append(">\r\n")
                .append("Subject: Undelivered Mail Returned to Sender\r\n")
                .append("Date: ").append(DATE.format(now)).append("\r\n")
                .append("Message-ID: <").append(original.id).append('.').append(UUID.randomUUID()).append("@")
                .append(reportingMta).append(">\r\n")
                .append("Auto-Submitted: auto-replied\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n")
                .append("\r\n")
                .append("This is a MIME-encapsulated message.\r\n\r\n")
                .append("--").append(boundary).append("\r\n")
                .append("Content-Description: Notification\r\n")
                .append("Content-Type: text/plain; charset=UTF-8\r\n")
                .append("Content-Transfer-Encoding: 8bit\r\n\r\n")
                .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n")
                .append("I'm sorry to have to inform you that your message could not\r\n")
                .append("be delivered to one or more recipients.\r\n\r\n");
        for (Failure failure : failures) {
            head.append("<").append(failure.recipient().address()).append(">: ").append(oneLine(failure.diagnostic()))
                    .append("\r\n");
        }
        head.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Description: Delivery report\r\n")
                .append("Content-Type: message/delivery-status\r\n\r\n")
                .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
                .append("X-Mailslot-Queue-ID: ").append(original.id).append("\r\n");
        original.envelope.envelopeId().ifPresent(id -> head.append("Original-Envelope-Id: ").append(id).append("\r\n"));
        head.append("Arrival-Date: ").append(DATE.format(original.received)).append("\r\n");
        for (Failure failure : failures) {
            head.append("\r\n");
            failure.recipient().originalRecipient()
                    .ifPresent(orcpt -> head.append("Original-Recipient: ").append(orcpt).append("\r\n"));
            head.append("Final-Recipient: ").append(failure.recipient().address().requiresSmtpUtf8() ? "utf-8; " : "rfc822; ")
                    .append(failure.recipient().address()).append("\r\n")
                    .append("Action: failed\r\n")
                    .append("Status: ").append(failure.status()).append("\r\n");
            if (!failure.remoteMta().isEmpty()) {
                head.append("Remote-MTA: dns; ").append(failure.remoteMta()).append("\r\n");
            }
            head.append("Diagnostic-Code: ").append(failure.diagnosticType()).append("; ")
                    .append(oneLine(failure.diagnostic())).append("\r\n")
                    .append("Last-Attempt-Date: ").append(DATE.format(now)).append("\r\n");
        }
        head.append("\r\n--").append(boundary).append("\r\n");
        if (full) {
            head.append("Content-Description: Undelivered Message\r\n")
                    .append("Content-Type: message/rfc822\r\n");
        } else {
            head.append("Content-Description: Undelivered Message Headers\r\n")
                    .append("Content-Type: text/rfc822-headers\r\n");
        }
        if (original.envelope.bodyType() != BodyType.SEVEN_BIT) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = new java.io.BufferedInputStream(original.body().open(), 64 * 1024)) {
            if (full) {
                in.transferTo(out);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                copyHeaders(in, out);
            }
        }
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Copies up to and including the empty line that ends the header section. */
    private static void copyHeaders(InputStream in, OutputStream out) throws IOException {
        int previous3 = -1;
        int previous2 = -1;
        int previous = -1;
        for (int c = in.read(); c >= 0; c = in.read()) {
            out.write(c);
            if (previous3 == '\r' && previous2 == '\n' && previous == '\r' && c == '\n') {
                return;
            }
            previous3 = previous2;
            previous2 = previous;
            previous = c;
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").trim();
    }
}
