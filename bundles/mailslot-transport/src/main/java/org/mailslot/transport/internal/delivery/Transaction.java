package org.mailslot.transport.internal.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.mail.MessagingException;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;

/**
 * The MAIL and RCPT commands of one message, written by Mailslot rather than Angus because
 * Angus has no per-recipient NOTIFY, no ORCPT, no ENVID, no {@code MAIL FROM:<>} and no BODY
 * parameter without rewriting the message; the connection, EHLO, STARTTLS, AUTH, DATA with
 * dot-stuffing and the replies stay Angus's. Not thread-safe: one transaction per send.
 */
final class Transaction {

    private final Envelope envelope;
    private final List<Recipient> recipients;
    private final List<Reply> recipientReplies = new ArrayList<>();
    private Reply mailReply;

    /**
     * @param envelope the envelope
     * @param recipients the recipients of the envelope this transaction carries, in order
     */
    Transaction(Envelope envelope, List<Recipient> recipients) {
        this.envelope = envelope;
        this.recipients = List.copyOf(recipients);
    }

    List<Recipient> recipients() {
        return recipients;
    }

    /** @return the RCPT replies, in recipient order, as far as the transaction got */
    List<Reply> recipientReplies() {
        return List.copyOf(recipientReplies);
    }

    Optional<Reply> mailReply() {
        return Optional.ofNullable(mailReply);
    }

    void mailFrom(AngusConnection smtp) throws MessagingException {
        StringBuilder command = new StringBuilder("MAIL FROM:<")
                .append(envelope.reversePath().map(MailAddress::toString).orElse("")).append('>');
        if (envelope.requiresSmtpUtf8()) {
            if (!smtp.supportsExtension("SMTPUTF8")) {
                throw new Unsupported(new Reply(0, "5.6.7",
                        "the envelope holds non-ASCII addresses and the server does not offer SMTPUTF8"));
            }
            command.append(" SMTPUTF8");
        }
        if (envelope.bodyType() != BodyType.SEVEN_BIT) {
            String extension = envelope.bodyType() == BodyType.EIGHT_BIT_MIME ? "8BITMIME" : "BINARYMIME";
            if (!smtp.supportsExtension(extension) || envelope.bodyType() == BodyType.BINARY_MIME) {
                // BINARYMIME needs BDAT with unaltered octets; Mailslot does not convert bodies.
                throw new Unsupported(new Reply(0, "5.6.3", "the message is " + envelope.bodyType().keyword()
                        + " and the next hop does not offer " + extension + " (Mailslot does not convert bodies)"));
            }
            command.append(" BODY=").append(envelope.bodyType().keyword());
        }
        if (smtp.supportsExtension("DSN")) {
            envelope.dsnReturn().ifPresent(ret -> command.append(" RET=").append(ret.name()));
            envelope.envelopeId().ifPresent(id -> command.append(" ENVID=").append(xtext(id)));
        }
        smtp.command(command.toString());
        int code = smtp.response();
        mailReply = Reply.parse(code, smtp.getLastServerResponse());
        if (code < 200 || code > 299) {
            reset(smtp);
            throw new Rejected(mailReply);
        }
    }

    void rcptTo(AngusConnection smtp) throws MessagingException {
        boolean dsn = smtp.supportsExtension("DSN");
        boolean anyAccepted = false;
        for (Recipient recipient : recipients) {
            StringBuilder command = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
            if (dsn && !recipient.notifyOn().isEmpty()) {
                command.append(" NOTIFY=").append(recipient.notifyOn().stream().map(Enum::name)
                        .collect(Collectors.joining(",")));
            }
            if (dsn) {
                recipient.originalRecipient().ifPresent(orcpt -> command.append(" ORCPT=").append(orcpt));
            }
            smtp.command(command.toString());
            int code = smtp.response();
            Reply reply = Reply.parse(code, smtp.getLastServerResponse());
            recipientReplies.add(reply);
            anyAccepted |= code >= 200 && code <= 299;
        }
        if (!anyAccepted) {
            reset(smtp);
            throw new Rejected(recipientReplies.get(recipientReplies.size() - 1));
        }
    }

    private static void reset(AngusConnection smtp) {
        try {
            smtp.command("RSET");
            smtp.response();
        } catch (MessagingException e) {
            // The connection is then unusable; the pool finds out with its next RSET.
        }
    }

    /** RFC 3461 section 4: {@code +} and {@code =} and anything outside 33..126 as {@code +XX}. */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                out.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /** The server refused MAIL, or every RCPT: nothing to send DATA for. */
    static final class Rejected extends MessagingException {

        private static final long serialVersionUID = 1L;
        private final transient Reply reply;

        Rejected(Reply reply) {
            super(reply.toString());
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }

    /** The message needs an extension the server does not offer; no command was sent for it. */
    static final class Unsupported extends MessagingException {

        private static final long serialVersionUID = 1L;
        private final transient Reply reply;

        Unsupported(Reply reply) {
            super(reply.text());
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }
}
