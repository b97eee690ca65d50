package org.mailslot.smtp.internal;

import java.net.InetAddress;
import java.util.Arrays;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954): whether the client may authenticate here and now, then the {@link AuthExchange}
 * line by line, and the credentials it yields checked by the session.
 */
final class AuthCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommand.class);

    /** The reply to AUTH while the client's address is blocked by the {@link AuthThrottle}. */
    static final String THROTTLED = "454 4.7.0 Too many failed authentication attempts from your address; try again later";

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
            session.send(THROTTLED);
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
            verify(session, verify.mechanism(), verify.user(), verify.password());
        } else if (step instanceof AuthExchange.ForeignIdentity foreign) {
            failed(session, foreign.user());
        } else if (step instanceof AuthExchange.Refused refused) {
            session.send(refused.reply());
        }
    }

    /** Checks credentials on a worker; answers 235, or counts a failure. The password is wiped. */
    private static void verify(SmtpSession session, String mechanism, String name, char[] password) {
        InetAddress address = session.client().getAddress();
        if (session.listener().authThrottle().blocked(address)) {
            // Blocked by another connection's failures while this exchange went on.
            Arrays.fill(password, '\0');
            session.send(THROTTLED);
            return;
        }
        Authenticator authenticator = session.listener().authenticator();
        session.offLoop(() -> {
            try {
                return !name.isEmpty() && authenticator.authenticate(name, password);
            } catch (RuntimeException e) {
                LOG.warn("SMTP AUTH check failed for user {}: {}", Texts.printable(name), e.toString());
                return false;
            } finally {
                Arrays.fill(password, '\0');
            }
        }, valid -> {
            if (valid) {
                session.state().authenticated(mechanism, name);
                session.send("235 2.7.0 Authentication successful");
            } else {
                failed(session, name);
            }
        });
    }

    /** Logged for the operator (and fail2ban): the user name, the client and the listener; never the password. */
    private static void failed(SmtpSession session, String name) {
        Settings settings = session.settings();
        InetAddress address = session.client().getAddress();
        LOG.warn("SMTP AUTH failed on listener {} for user {} from {}", settings.name(), Texts.printable(name), address.getHostAddress());
        session.listener().authThrottle().failed(address);
        session.listener().authFailed();
        if (session.state().authFailed() >= settings.maxAuthFailures()) {
            session.answer("535 5.7.8 Authentication credentials invalid");
            session.closeWith("421 4.7.0 " + settings.hostname() + " Too many failed authentication attempts");
        } else {
            session.send("535 5.7.8 Authentication credentials invalid");
        }
    }
}
