package org.mailslot.smtp.internal;

import java.util.ArrayList;
import java.util.List;

import org.mailslot.api.port.TlsMode;

/** HELO and EHLO: the client's name, a fresh start, and for EHLO the extensions on offer. */
final class HelloCommand implements Command {

    static final HelloCommand BASIC = new HelloCommand(false);
    static final HelloCommand EXTENDED = new HelloCommand(true);

    private final boolean extended;

    private HelloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        String name = argument.trim();
        if (name.isEmpty() || name.contains(" ")) {
            session.send("501 5.5.4 Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
            return;
        }
        SessionState state = session.state();
        session.resetTransaction();
        state.hello(name);
        Settings settings = session.settings();
        if (!extended) {
            session.send("250 " + settings.hostname());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname() + " Hello " + Texts.printable(name));
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("DSN");
        if (startTlsOffered(session)) {
            lines.add("STARTTLS");
        }
        if (state.tlsActive()) {
            // RFC 8689 section 4.1: offered only where the session itself is protected.
            lines.add("REQUIRETLS");
        }
        if (session.strategy().credentialsAllowed(state.tlsActive()) && state.user() == null) {
            lines.add("AUTH " + AuthExchange.MECHANISMS);
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append(i == 0 ? "" : "\r\n").append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
        }
        session.answer(reply.toString());
    }

    /** @return whether STARTTLS is on offer: not yet under TLS, on a port whose strategy has it */
    static boolean startTlsOffered(SmtpSession session) {
        TlsMode mode = session.strategy().tlsMode();
        return !session.state().tlsActive() && (mode == TlsMode.STARTTLS_REQUIRED || mode == TlsMode.STARTTLS_OPPORTUNISTIC);
    }
}
