package org.mailslot.spool.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;

/**
 * Writes the delivery status notification (RFC 3464 {@code multipart/report}) that tells a sender
 * what became of some recipients — failed, delayed, delivered or relayed — with the original
 * headers (the whole message for a failure with {@code RET=FULL}), as a message with the null
 * reverse path, so that it is never answered in turn. One notice is of one kind.
 */
final class DsnWriter {

    private static final byte[] CRLF = {'\r', '\n'};
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
     * The notice as a message to queue with the attempt's outcome. Its octets are composed as they
     * are read (the original's headers, or the whole of it for a failure with {@code RET=FULL}, read
     * from the queue), the same each time.
     *
     * @param willRetryUntil when delivery will be given up, for a notice of delay
     * @throws IllegalArgumentException if the message has the null reverse path, or the notices are of mixed kinds
     */
    static org.mailslot.api.queue.Notice notice(Progress original, List<Notice> notices, String reportingMta,
            Instant now, Instant willRetryUntil) {
        MailAddress sender = original.envelope.reversePath()
                .orElseThrow(() -> new IllegalArgumentException("Never a notice for a notice: " + original.id));
        if (notices.stream().map(n -> kind(n.action())).distinct().count() != 1) {
            throw new IllegalArgumentException("One notice per kind, not " + notices.stream().map(Notice::action).toList());
        }
        boolean eightBit = original.envelope.bodyType() != BodyType.SEVEN_BIT
                || notices.stream().anyMatch(n -> n.recipient().address().requiresSmtpUtf8());
        Envelope envelope = Envelope.builder().from((MailAddress) null).to(sender)
                .bodyType(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT).build();
        String boundary = "=_dsn_" + UUID.randomUUID();
        // RET applies to failures (RFC 3461 section 4.3); other notices carry the headers only.
        boolean full = kind(notices.get(0).action()) == Action.FAILED
                && original.envelope.dsnReturn().orElse(DsnReturn.HDRS) == DsnReturn.FULL;
        byte[] head = head(original, sender, notices, reportingMta, now, willRetryUntil, boundary, full);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageSource body = original.body();
        return new org.mailslot.api.queue.Notice(envelope, () -> {
            InputStream in = new BufferedInputStream(body.open(), 64 * 1024);
            InputStream returned = full ? new SequenceInputStream(in, new ByteArrayInputStream(CRLF)) : new HeadersOnly(in);
            return new SequenceInputStream(Collections.enumeration(
                    List.of(new ByteArrayInputStream(head), returned, new ByteArrayInputStream(tail))));
        }, noticeKind(notices.get(0).action()));
    }

    private static org.mailslot.api.queue.Notice.Kind noticeKind(Action action) {
        return switch (action) {
            case FAILED -> org.mailslot.api.queue.Notice.Kind.NON_DELIVERY;
            case DELAYED -> org.mailslot.api.queue.Notice.Kind.DELAY;
            case DELIVERED, RELAYED -> org.mailslot.api.queue.Notice.Kind.SUCCESS;
        };
    }

    private static Action kind(Action action) {
        return action.success() ? Action.DELIVERED : action;
    }

    private static byte[] head(Progress original, MailAddress sender, List<Notice> notices, String reportingMta,
            Instant now, Instant willRetryUntil, String boundary, boolean full) {
        Action kind = kind(notices.get(0).action());
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
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The original's header section, up to and including the empty line that ends it (added if it has none). */
    private static final class HeadersOnly extends InputStream {

        private final InputStream in;
        private int last3 = -1;
        private int last2 = -1;
        private int last = -1;
        private boolean ended;
        /** What follows the original when it has no empty line: a CRLF, then the end. */
        private int added = -1;

        HeadersOnly(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (added >= 0) {
                return added < CRLF.length ? CRLF[added++] : -1;
            }
            if (ended) {
                return -1;
            }
            int c = in.read();
            if (c < 0) {
                added = 0;
                return read();
            }
            ended = last3 == '\r' && last2 == '\n' && last == '\r' && c == '\n';
            last3 = last2;
            last2 = last;
            last = c;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    break;
                }
                b[off + n++] = (byte) c;
            }
            return n == 0 ? -1 : n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").trim();
    }
}
