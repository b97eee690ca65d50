package org.mailslot.support.text;

import java.util.HashSet;
import java.util.Set;

/** How an exception reads to an operator: one line, in a status table or a log message. */
public final class ErrorText {

    private ErrorText() {
    }

    /**
     * @return the messages of the exception and its causes, outermost first, joined by {@code ": "};
     *     a message already said (a wrapper's message that repeats its cause's) is left out; white
     *     space, line ends included, collapses to one space; the class's simple name when no
     *     exception in the chain has a message
     */
    public static String of(Throwable error) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            message = message.replaceAll("\\s+", " ").strip();
            Throwable cause = t.getCause();
            if (cause != null && message.equals(cause.toString().replaceAll("\\s+", " ").strip())) {
                continue;
            }
            if (text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
        }
        return text.length() == 0 ? error.getClass().getSimpleName() : text.toString();
    }
}
