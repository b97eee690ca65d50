package org.mailslot.smtp.internal;

/**
 * The handler of one SMTP verb: checks what it may do in the session's state, changes the state,
 * and answers through the session. Runs on the session's event loop; what blocks goes through the
 * session to its {@link SpoolSteps}.
 */
@FunctionalInterface
interface Command {

    /** @param argument the text after the verb and one space, "" when there is none */
    void execute(SmtpSession session, String argument);
}
