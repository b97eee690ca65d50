package org.mailslot.smtp.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortStrategy;

/**
 * MAIL FROM: starts a {@link Transaction} once the port's rules are met (HELO, TLS, AUTH), with
 * the sender and its parameters (SIZE, BODY, SMTPUTF8, RET, ENVID, REQUIRETLS, AUTH), and the sender binding
 * of an authenticated user.
 */
final class MailCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        SessionState state = session.state();
        PortStrategy strategy = session.strategy();
        Settings settings = session.settings();
        if (state.heloName() == null) {
            session.send("503 5.5.1 Send HELO or EHLO first");
            return;
        }
        if (strategy.tlsMode().requiresTls() && !state.tlsActive()) {
            session.send("530 5.7.0 Must issue a STARTTLS command first");
            return;
        }
        if (strategy.authPolicy() == AuthPolicy.REQUIRED && state.user() == null) {
            session.send("530 5.7.0 Authentication required");
            return;
        }
        if (state.transaction() != null) {
            session.send("503 5.5.1 Nested MAIL command");
            return;
        }
        if (session.listener().submission() == null) {
            session.send("451 4.3.0 Mail storage is unavailable; try again later");
            return;
        }
        if (SenderCheck.unavailable(session)) {
            session.send(SenderCheck.UNAVAILABLE);
            return;
        }
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "FROM");
        } catch (PathArgument.SyntaxException e) {
            session.send("501 5.5.4 " + e.getMessage());
            return;
        }
        MailAddress sender = null;
        if (!parsed.path().isEmpty()) {
            try {
                sender = MailAddress.parse(parsed.path());
            } catch (IllegalArgumentException e) {
                session.send("553 5.1.7 Bad sender address syntax: " + e.getMessage());
                return;
            }
        }
        Envelope.Builder builder = Envelope.builder().from(sender);
        boolean smtpUtf8 = false;
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            String value = parameter.getValue();
            try {
                switch (parameter.getKey()) {
                    case "SIZE" -> {
                        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                            throw new IllegalArgumentException("the size must be a number of octets");
                        }
                        if (value.length() > 18 || Long.parseLong(value) > settings.maxMessageSize()) {
                            session.send("552 5.3.4 Message size exceeds the limit of " + settings.maxMessageSize() + " octets");
                            return;
                        }
                    }
                    case "BODY" -> {
                        BodyType type = BodyType.ofKeyword(value);
                        if (type == BodyType.BINARY_MIME) {
                            session.send("555 5.5.4 BODY=BINARYMIME needs CHUNKING, which is not offered");
                            return;
                        }
                        builder.bodyType(type);
                    }
                    case "SMTPUTF8" -> {
                        if (!value.isEmpty()) {
                            throw new IllegalArgumentException("SMTPUTF8 takes no value");
                        }
                        smtpUtf8 = true;
                    }
                    case "RET" -> builder.dsnReturn(DsnReturn.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "ENVID" -> {
                        if (value.length() > Envelope.MAX_ENVELOPE_ID) {
                            throw new IllegalArgumentException("longer than " + Envelope.MAX_ENVELOPE_ID + " characters");
                        }
                        builder.envelopeId(Xtext.decode(value));
                    }
                    case "REQUIRETLS" -> {
                        if (!value.isEmpty()) {
                            throw new IllegalArgumentException("REQUIRETLS takes no value");
                        }
                        if (!state.tlsActive()) {
                            session.send("530 5.7.10 REQUIRETLS needs a TLS session: issue STARTTLS first");
                            return;
                        }
                        builder.requireTls(true);
                    }
                    case "AUTH" -> {
                        // RFC 4954 section 5: accepted; the identity it names is not trusted.
                    }
                    default -> {
                        session.send("555 5.5.4 Unsupported MAIL parameter " + Texts.printable(parameter.getKey()));
                        return;
                    }
                }
            } catch (IllegalArgumentException e) {
                session.send("501 5.5.4 Bad MAIL parameter " + Texts.printable(parameter.getKey()) + ": " + Texts.printable(e.getMessage()));
                return;
            }
        }
        if (sender != null && sender.requiresSmtpUtf8() && !smtpUtf8) {
            session.send("553 5.6.7 The sender address needs SMTPUTF8");
            return;
        }
        String user = state.user();
        Set<String> senderDomains = settings.senderDomains().isEmpty() ? session.listener().localDomains() : settings.senderDomains();
        if (user != null && !settings.senderBinding().permits(user, sender, senderDomains)) {
            session.send("553 5.7.1 Sender address rejected: not owned by user " + Texts.printable(user));
            return;
        }
        if (user != null && settings.senderBinding().owns(user, sender, senderDomains)) {
            builder.authenticatedSender(sender);
        }
        state.transaction(new Transaction(builder, smtpUtf8));
        session.send("250 2.1.0 Ok");
    }
}
