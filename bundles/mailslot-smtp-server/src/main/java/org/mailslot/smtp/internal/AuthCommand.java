package org.mailslot.smtp.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortStrategy;

/**
 * AUTH (RFC 4954): whether the client may authenticate here and now, then the {@link AuthExchange}
 * line by line, and the credentials it yields checked by the session.
 */
final class AuthCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        PortStrategy strategy = session.strategy();
        SessionState state = session.state();
        if (!strategy.credentialsAllowed(state.tlsActive())) {
            if (strategy.authPolicy() == AuthPolicy.NONE) {
                session.send("503 5.5.1 Authentication is not enabled on this port");
            } else if (strategy.tlsMode().requiresTls()) {
                session.send("530 5.7.0 Must issue a STARTTLS command first");
            } else {
                session.send("538 5.7.11 Encryption required for requested authentication mechanism");
            }
            return;
        }
        if (state.heloName() == null) {
            session.send("503 5.5.1 Send EHLO first");
            return;
        }
        if (state.user() != null) {
            session.send("503 5.5.1 Already authenticated");
            return;
        }
        if (state.transaction() != null) {
            session.send("503 5.5.1 AUTH is not allowed inside a mail transaction");
            return;
        }
        if (session.listener().authThrottle().blocked(session.client().getAddress())) {
            session.send(SmtpSession.throttled());
            return;
        }
        AuthExchange exchange = new AuthExchange();
        follow(session, exchange, exchange.begin(argument));
    }

    /** The client's answer to a challenge of the exchange in progress. */
    static void respond(SmtpSession session, String line) {
        AuthExchange exchange = session.state().auth();
        follow(session, exchange, exchange.respond(line));
    }

    private static void follow(SmtpSession session, AuthExchange exchange, AuthExchange.Step step) {
        session.state().auth(step instanceof AuthExchange.Challenge ? exchange : null);
        if (step instanceof AuthExchange.Challenge challenge) {
            session.send(challenge.reply());
        } else if (step instanceof AuthExchange.Verify verify) {
            session.verify(verify.user(), verify.password());
        } else if (step instanceof AuthExchange.ForeignIdentity foreign) {
            session.failedAuth(foreign.user());
        } else if (step instanceof AuthExchange.Refused refused) {
            session.send(refused.reply());
        }
    }
}
