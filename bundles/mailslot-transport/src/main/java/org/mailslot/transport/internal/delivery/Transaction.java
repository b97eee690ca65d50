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
 * dot-stuffing and the replies stay Angus's. When the server offers PIPELINING (RFC 2920), MAIL,
 * RCPT and DATA go out as one group and their replies are read afterwards: one round trip instead
 * of two plus one per recipient. Not thread-safe: one transaction per send.
 */
final class Transaction {

    private final Envelope envelope;
    private final List<Recipient> recipients;
    private final boolean authenticatedHop;
    private final List<Reply> recipientReplies = new ArrayList<>();
    private Reply mailReply;
    private boolean pipelined;
    private boolean dsnOffered;

    /**
     * @param envelope the envelope
     * @param recipients the recipients of the envelope this transaction carries, in order
     * @param authenticatedHop whether the server was authenticated as REQUIRETLS demands (RFC 8689
     *     section 4.2.1): TLS with a certificate verified through DANE, MTA-STS or a relay route that
     *     verifies
     */
    Transaction(Envelope envelope, List<Recipient> recipients, boolean authenticatedHop) {
        this.envelope = envelope;
        this.recipients = List.copyOf(recipients);
        this.authenticatedHop = authenticatedHop;
    }

    List<Recipient> recipients() {
        return recipients;
    }

    /** @return the RCPT replies, in recipient order, as far as the transaction got */
    List<Reply> recipientReplies() {
        return List.copyOf(recipientReplies);
    }

    /** @return whether the server offered DSN, so that it, not Mailslot, reports on the recipients it accepts */
    boolean dsnOffered() {
        return dsnOffered;
    }

    Optional<Reply> mailReply() {
        return Optional.ofNullable(mailReply);
    }

    void mailFrom(AngusConnection smtp) throws MessagingException {
        String mail = mailCommand(smtp);
        if (!smtp.supportsExtension("PIPELINING")) {
            smtp.command(mail);
            mailReply = reply(smtp);
            if (!mailReply.accepted()) {
                reset(smtp);
                throw new Rejected(mailReply);
            }
            return;
        }
        // RFC 2920: MAIL, every RCPT and DATA in one group, the replies read in order afterwards.
        // DATA's reply is left to Angus's data(), which then sends no DATA of its own.
        List<String> group = new ArrayList<>(recipients.size() + 2);
        group.add(mail);
        boolean dsn = smtp.supportsExtension("DSN");
        for (Recipient recipient : recipients) {
            group.add(rcptCommand(recipient, dsn));
        }
        group.add("DATA");
        smtp.pipeline(group);
        pipelined = true;
        mailReply = reply(smtp);
        if (!mailReply.accepted()) {
            for (int i = 0; i < recipients.size(); i++) {
                reply(smtp);
            }
            endRefusedData(smtp);
            throw new Rejected(mailReply);
        }
    }

    void rcptTo(AngusConnection smtp) throws MessagingException {
        boolean dsn = smtp.supportsExtension("DSN");
        boolean anyAccepted = false;
        for (Recipient recipient : recipients) {
            if (!pipelined) {
                smtp.command(rcptCommand(recipient, dsn));
            }
            Reply reply = reply(smtp);
            recipientReplies.add(reply);
            anyAccepted |= reply.accepted();
        }
        if (!anyAccepted) {
            if (pipelined) {
                endRefusedData(smtp);
            } else {
                reset(smtp);
            }
            throw new Rejected(recipientReplies.get(recipientReplies.size() - 1));
        }
    }

    private String mailCommand(AngusConnection smtp) throws Unsupported {
        StringBuilder command = new StringBuilder("MAIL FROM:<")
                .append(envelope.reversePath().map(MailAddress::toString).orElse("")).append('>');
        if (envelope.requiresSmtpUtf8()) {
            if (!smtp.supportsExtension("SMTPUTF8")) {
                throw new Unsupported(new Reply(0, "5.6.7",
                        "the envelope holds non-ASCII addresses and the server does not offer SMTPUTF8"));
            }
            command.append(" SMTPUTF8");
        }
        if (envelope.requireTls()) {
            if (!authenticatedHop) {
                throw new Unsupported(new Reply(0, "5.7.30", "REQUIRETLS: the next hop was not authenticated through"
                        + " DANE, MTA-STS or a relay route with tls.verify = true; the message was not sent to it"));
            }
            if (!smtp.supportsExtension("REQUIRETLS")) {
                throw new Unsupported(new Reply(0, "5.7.30", "REQUIRETLS: the next hop does not offer REQUIRETLS;"
                        + " the message was not sent to it"));
            }
            command.append(" REQUIRETLS");
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
        dsnOffered = smtp.supportsExtension("DSN");
        if (dsnOffered) {
            envelope.dsnReturn().ifPresent(ret -> command.append(" RET=").append(ret.name()));
            envelope.envelopeId().ifPresent(id -> command.append(" ENVID=").append(xtext(id)));
        }
        return command.toString();
    }

    private static String rcptCommand(Recipient recipient, boolean dsn) {
        StringBuilder command = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (dsn && !recipient.notifyOn().isEmpty()) {
            command.append(" NOTIFY=").append(recipient.notifyOn().stream().map(Enum::name)
                    .collect(Collectors.joining(",")));
        }
        if (dsn) {
            // addr-type;xtext: the envelope holds the address decoded (RFC 3461 section 4.2).
            recipient.originalRecipient().ifPresent(orcpt -> command.append(" ORCPT=")
                    .append(orcpt, 0, orcpt.indexOf(';') + 1).append(xtext(orcpt.substring(orcpt.indexOf(';') + 1))));
        }
        return command.toString();
    }

    /**
     * @return the next reply
     * @throws MessagingException if the server closed the connection instead (Angus reports that
     *     as code -1): the connection is dead, which is not the server's verdict on the message
     */
    private static Reply reply(AngusConnection smtp) throws MessagingException {
        int code = smtp.response();
        if (code < 0) {
            throw new MessagingException("the server closed the connection");
        }
        return Reply.parse(code, smtp.getLastServerResponse());
    }

    /**
     * After a pipelined group whose MAIL or every RCPT was refused: reads DATA's reply, which should
     * refuse too (RFC 2920 section 3.1); a server that says 354 anyway gets an empty message ended
     * at once. Then RSET, so the connection starts clean.
     */
    private static void endRefusedData(AngusConnection smtp) throws MessagingException {
        if (reply(smtp).code() == 354) {
            smtp.command(".");
            reply(smtp);
        }
        reset(smtp);
    }

    private static void reset(AngusConnection smtp) {
        try {
            smtp.command("RSET");
            smtp.response();
        } catch (MessagingException e) {
            // The connection is then unusable; the next transaction on it finds out and retries
            // on a fresh one.
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
