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
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent;

/**
 * Writes the delivery status notification (RFC 3464 {@code multipart/report}) that tells a sender
 * what became of some recipients — failed, delayed, delivered or relayed — with the original
 * headers (the whole message for a failure with {@code RET=FULL}), and submits it with the null
 * reverse path, so that it is never answered in turn. One notice is of one kind.
 */
final class DsnWriter {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The {@code Action} of a recipient in the report (RFC 3464 section 2.3.3). */
    enum Action {
        FAILED("failed"), DELAYED("delayed"), DELIVERED("delivered"), RELAYED("relayed");

        final String field;

        Action(String field) {
            this.field = field;
        }

        boolean success() {
            return this == DELIVERED || this == RELAYED;
        }
    }

    /**
     * @param recipient the recipient reported on
     * @param action what became of it
     * @param status the enhanced status code, such as 5.1.1, 4.4.7 (expired) or 2.0.0
     * @param diagnosticType {@code smtp} for a reply, {@code X-Mailslot} for anything else
     * @param diagnostic the reply or the reason; empty for none
     * @param remoteMta the host that replied, or empty
     */
    record Notice(Recipient recipient, Action action, String status, String diagnosticType, String diagnostic,
            String remoteMta) {

        static Notice failed(Recipient recipient, String status, String diagnosticType, String diagnostic, String remoteMta) {
            return new Notice(recipient, Action.FAILED, status, diagnosticType, diagnostic, remoteMta);
        }
    }

    private DsnWriter() {
    }

    /**
     * @param willRetryUntil when delivery will be given up, for a notice of delay
     * @throws IllegalArgumentException if the message has the null reverse path, or the notices are of mixed kinds
     */
    static SubmissionReceipt submit(MailSubmission spool, SpoolEntry original, List<Notice> notices, String reportingMta,
            Instant now, Instant willRetryUntil) throws SubmissionException {
        MailAddress sender = original.envelope.reversePath()
                .orElseThrow(() -> new IllegalArgumentException("Never a notice for a notice: " + original.id));
        if (notices.stream().map(n -> kind(n.action())).distinct().count() != 1) {
            throw new IllegalArgumentException("One notice per kind, not " + notices.stream().map(Notice::action).toList());
        }
        boolean eightBit = original.envelope.bodyType() != BodyType.SEVEN_BIT
                || notices.stream().anyMatch(n -> n.recipient().address().requiresSmtpUtf8());
        Envelope envelope = Envelope.builder().from((MailAddress) null).to(sender)
                .bodyType(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT).build();
        try (MessageWriter writer = spool.begin(envelope)) {
            try (OutputStream out = new BufferedOutputStream(writer.asOutputStream(), 64 * 1024)) {
                write(out, original, sender, notices, reportingMta, now, willRetryUntil);
            } catch (IOException e) {
                if (e.getCause() instanceof SubmissionException refused) {
                    throw refused;
                }
                throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                        "Could not read the original message " + original.id + ": " + e.getMessage(), e);
            }
            SubmissionReceipt receipt = writer.commit();
            MailLog.log(new MailLogEvent.Notified(original.id, notification(notices.get(0).action()), receipt.id()));
            return receipt;
        }
    }

    private static MailLogEvent.Notification notification(Action action) {
        return switch (action) {
            case FAILED -> MailLogEvent.Notification.NON_DELIVERY;
            case DELAYED -> MailLogEvent.Notification.DELAY;
            case DELIVERED, RELAYED -> MailLogEvent.Notification.SUCCESS;
        };
    }

    private static Action kind(Action action) {
        return action.success() ? Action.DELIVERED : action;
    }

    static void write(OutputStream out, SpoolEntry original, MailAddress sender, List<Notice> notices,
            String reportingMta, Instant now, Instant willRetryUntil) throws IOException {
        String boundary = "=_dsn_" + UUID.randomUUID();
        Action kind = kind(notices.get(0).action());
        // RET applies to failures (RFC 3461 section 4.3); other notices carry the headers only.
        boolean full = kind == Action.FAILED && original.envelope.dsnReturn().orElse(DsnReturn.HDRS) == DsnReturn.FULL;
        String subject = switch (kind) {
            case FAILED -> "Undelivered Mail Returned to Sender";
            case DELAYED -> "Delayed Mail (still being retried)";
            default -> "Successful Mail Delivery Report";
        };
        String introduction = switch (kind) {
            case FAILED -> "I'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.";
            case DELAYED -> "Your message could not be delivered yet to one or more recipients.\r\nIt will be retried until "
                    + DATE.format(willRetryUntil) + "; you need not send it again.";
            default -> "Your message was delivered to the recipients below, or relayed to a\r\n"
                    + "system that reports no delivery status (then it is only known to have arrived there).";
        };
        StringBuilder head = new StringBuilder()
                .append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n")
                .append("To: <").append(sender).append(">\r\n")
                .append("Subject: ").append(subject).append("\r\n")
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
                .append(introduction).append("\r\n\r\n");
        for (Notice notice : notices) {
            head.append("<").append(notice.recipient().address()).append(">: ");
            if (notice.action() == Action.FAILED) {
                head.append(oneLine(notice.diagnostic()));
            } else {
                head.append(notice.action().field);
                if (!notice.diagnostic().isEmpty()) {
                    head.append(" (").append(oneLine(notice.diagnostic())).append(')');
                }
            }
            head.append("\r\n");
        }
        head.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Description: Delivery report\r\n")
                .append("Content-Type: message/delivery-status\r\n\r\n")
                .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
                .append("X-Mailslot-Queue-ID: ").append(original.id).append("\r\n");
        original.envelope.envelopeId().ifPresent(id -> head.append("Original-Envelope-Id: ").append(id).append("\r\n"));
        head.append("Arrival-Date: ").append(DATE.format(original.received)).append("\r\n");
        for (Notice notice : notices) {
            head.append("\r\n");
            notice.recipient().originalRecipient()
                    .ifPresent(orcpt -> head.append("Original-Recipient: ").append(orcpt).append("\r\n"));
            head.append("Final-Recipient: ").append(notice.recipient().address().requiresSmtpUtf8() ? "utf-8; " : "rfc822; ")
                    .append(notice.recipient().address()).append("\r\n")
                    .append("Action: ").append(notice.action().field).append("\r\n")
                    .append("Status: ").append(notice.status()).append("\r\n");
            if (!notice.remoteMta().isEmpty()) {
                head.append("Remote-MTA: dns; ").append(notice.remoteMta()).append("\r\n");
            }
            if (!notice.diagnostic().isEmpty()) {
                head.append("Diagnostic-Code: ").append(notice.diagnosticType()).append("; ")
                        .append(oneLine(notice.diagnostic())).append("\r\n");
            }
            head.append("Last-Attempt-Date: ").append(DATE.format(now)).append("\r\n");
            if (notice.action() == Action.DELAYED) {
                head.append("Will-Retry-Until: ").append(DATE.format(willRetryUntil)).append("\r\n");
            }
        }
        head.append("\r\n--").append(boundary).append("\r\n");
        if (full) {
            head.append("Content-Description: Undelivered Message\r\n")
                    .append("Content-Type: message/rfc822\r\n");
        } else {
            head.append("Content-Description: ").append(kind == Action.FAILED ? "Undelivered " : "").append("Message Headers\r\n")
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
