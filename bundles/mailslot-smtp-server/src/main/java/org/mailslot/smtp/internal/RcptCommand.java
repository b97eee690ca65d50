package org.mailslot.smtp.internal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.submission.LocalRecipients;
import org.mailslot.api.submission.MailSubmission;

/**
 * RCPT TO: adds a recipient to the {@link Transaction}, with its DSN parameters (NOTIFY, ORCPT),
 * under the relay rule (a client that has not authenticated may only send to local domains) and
 * the recipient limit.
 */
final class RcptCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        Transaction transaction = session.state().transaction();
        Settings settings = session.settings();
        if (transaction == null) {
            session.send("503 5.5.1 Need MAIL before RCPT");
            return;
        }
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "TO");
        } catch (PathArgument.SyntaxException e) {
            session.send("501 5.5.4 " + e.getMessage());
            return;
        }
        MailAddress address;
        try {
            address = parsed.path().equalsIgnoreCase("postmaster") ? localPostmaster(session) : MailAddress.parse(parsed.path());
        } catch (IllegalArgumentException e) {
            session.send("501 5.1.3 Bad recipient address syntax: " + e.getMessage());
            return;
        }
        if (address == null) {
            session.send("451 4.3.0 No local domain to deliver to postmaster; try again later");
            return;
        }
        if (address.requiresSmtpUtf8() && !transaction.smtpUtf8()) {
            session.send("553 5.6.7 The recipient address needs SMTPUTF8");
            return;
        }
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        Optional<String> orcpt = Optional.empty();
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            try {
                switch (parameter.getKey()) {
                    case "NOTIFY" -> {
                        for (String condition : parameter.getValue().split(",")) {
                            notify.add(DsnNotify.valueOf(condition.trim().toUpperCase(Locale.ROOT)));
                        }
                    }
                    case "ORCPT" -> orcpt = Optional.of(originalRecipient(parameter.getValue()));
                    default -> {
                        session.send("555 5.5.4 Unsupported RCPT parameter " + Texts.printable(parameter.getKey()));
                        return;
                    }
                }
            } catch (IllegalArgumentException e) {
                session.send("501 5.5.4 Bad RCPT parameter " + Texts.printable(parameter.getKey()) + ": " + Texts.printable(e.getMessage()));
                return;
            }
        }
        Recipient recipient;
        try {
            recipient = new Recipient(address, notify, orcpt);
        } catch (IllegalArgumentException e) {
            session.send("501 5.5.4 " + Texts.printable(e.getMessage()));
            return;
        }
        if (session.state().user() == null && !session.listener().acceptsFromAnyone(address.normalizedDomain())) {
            session.send("554 5.7.1 <" + address + ">: Relay access denied");
            return;
        }
        if (!localRecipientAccepted(session, address)) {
            return;
        }
        if (transaction.recipients() >= settings.maxRecipients()) {
            session.send("452 4.5.3 Too many recipients");
            return;
        }
        transaction.add(recipient);
        session.send("250 2.1.5 Ok");
    }

    /**
     * RFC 5321 section 4.5.1: {@code <postmaster>} without a domain must be accepted. It is the
     * postmaster of the listener's host name when that is a local domain, else of the first local
     * domain in alphabetical order.
     *
     * @return that address, or null while there is no local domain
     */
    private static MailAddress localPostmaster(SmtpSession session) {
        Set<String> domains = session.listener().localDomains();
        String hostname = session.settings().hostname().toLowerCase(Locale.ROOT);
        Optional<String> domain = domains.contains(hostname) ? Optional.of(hostname) : domains.stream().sorted().findFirst();
        return domain.map(d -> MailAddress.parse("postmaster@" + d)).orElse(null);
    }

    /**
     * Refuses an unknown local user (550 5.1.1, Postfix's words) or a full mailbox (452 4.2.2) as the
     * spool's {@link LocalRecipients} says, before the data is taken; no spool, no judgement here.
     *
     * @return whether the recipient may be taken
     */
    private static boolean localRecipientAccepted(SmtpSession session, MailAddress address) {
        MailSubmission current = session.listener().submission();
        LocalRecipients.Verdict verdict = current == null ? LocalRecipients.Verdict.ACCEPTED
                : current.localRecipients().check(address);
        switch (verdict) {
            case UNKNOWN -> session.send("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown in local"
                    + " recipient table");
            case MAILBOX_FULL -> session.send("452 4.2.2 <" + address + ">: Recipient address rejected: Mailbox full");
            case ACCEPTED -> {
                return true;
            }
        }
        return false;
    }

    /** ORCPT is {@code addr-type;xtext} (RFC 3461 section 4.2); the envelope keeps the address decoded. */
    private static String originalRecipient(String value) {
        int semicolon = value.indexOf(';');
        if (semicolon <= 0 || value.length() > Recipient.MAX_ORIGINAL_RECIPIENT) {
            throw new IllegalArgumentException("must be addr-type;address, at most " + Recipient.MAX_ORIGINAL_RECIPIENT + " characters");
        }
        String type = value.substring(0, semicolon);
        if (!type.chars().allMatch(c -> c < 127 && (Character.isLetterOrDigit(c) || c == '-'))) {
            throw new IllegalArgumentException("the address type must be an atom such as rfc822");
        }
        String address = Xtext.decode(value.substring(semicolon + 1));
        if (address.isBlank()) {
            throw new IllegalArgumentException("the original recipient address is empty");
        }
        return type + ";" + address;
    }
}
