package org.mailslot.smtp.internal;

import java.util.Locale;
import java.util.Map;

/** Which {@link Command} handles which verb, and the ones that fit in a line. */
final class Commands {

    private static final Map<String, Command> BY_VERB = Map.ofEntries(
            Map.entry("EHLO", HelloCommand.EXTENDED),
            Map.entry("HELO", HelloCommand.BASIC),
            Map.entry("STARTTLS", new StartTlsCommand()),
            Map.entry("AUTH", new AuthCommand()),
            Map.entry("MAIL", new MailCommand()),
            Map.entry("RCPT", new RcptCommand()),
            Map.entry("DATA", new DataCommand()),
            Map.entry("RSET", (session, argument) -> {
                session.resetTransaction();
                session.junk("250 2.0.0 Ok");
            }),
            Map.entry("NOOP", (session, argument) -> session.junk("250 2.0.0 Ok")),
            Map.entry("QUIT", (session, argument) -> session.closeWith("221 2.0.0 " + session.settings().hostname() + " Bye")),
            Map.entry("VRFY", (session, argument) -> session.junk("252 2.5.0 Cannot VRFY user, but will accept the message and attempt delivery")),
            Map.entry("EXPN", (session, argument) -> session.send("502 5.5.1 EXPN is not supported")),
            Map.entry("HELP", (session, argument) -> session.junk("214 2.0.0 See RFC 5321")),
            Map.entry("BDAT", (session, argument) -> session.send("502 5.5.1 BDAT is not supported (CHUNKING is not offered)")));

    private static final Command UNKNOWN = (session, argument) -> session.send("500 5.5.2 Command not recognized");

    private Commands() {
    }

    /** Runs the command of a line: its verb (in any case) up to the first space, then the argument. */
    static void execute(SmtpSession session, String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        BY_VERB.getOrDefault(verb, UNKNOWN).execute(session, argument);
    }
}
