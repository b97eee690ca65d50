package org.mailslot.smtp.internal;

import javax.net.ssl.SSLEngine;

import org.mailslot.api.tls.TlsUnavailableException;

/** STARTTLS (RFC 3207): outside a transaction, on a port that offers it, once. */
final class StartTlsCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!HelloCommand.startTlsOffered(session)) {
            session.send(session.state().tlsActive() ? "503 5.5.1 TLS is already active" : "502 5.5.1 STARTTLS is not offered on this port");
            return;
        }
        if (!argument.isBlank()) {
            session.send("501 5.5.4 Syntax: STARTTLS");
            return;
        }
        if (session.state().transaction() != null) {
            session.send("503 5.5.1 STARTTLS is not allowed inside a mail transaction");
            return;
        }
        SSLEngine engine;
        try {
            engine = session.listener().serverEngine();
        } catch (TlsUnavailableException e) {
            session.send("454 4.7.0 TLS not available: " + e.getMessage());
            return;
        }
        session.startTls(engine);
    }
}
