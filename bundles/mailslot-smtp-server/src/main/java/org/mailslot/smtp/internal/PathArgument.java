package org.mailslot.smtp.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL FROM and RCPT TO: a path in angle brackets and ESMTP parameters
 * (RFC 5321 section 4.1.2). Only the syntax; the address itself goes through MailAddress.parse.
 *
 * @param path the text between the angle brackets, without a source route; empty for {@code <>}
 * @param parameters the parameters by upper-case keyword, in order; a keyword without value maps to ""
 */
record PathArgument(String path, Map<String, String> parameters) {

    /** The argument could not be parsed; the message is fit for a reply. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * @param argument everything after the verb, such as {@code FROM:<a@b> SIZE=10}
     * @param keyword {@code FROM} or {@code TO}
     */
    static PathArgument parse(String argument, String keyword) throws SyntaxException {
        String text = argument.strip();
        if (!text.regionMatches(true, 0, keyword + ":", 0, keyword.length() + 1)) {
            throw new SyntaxException("Syntax: " + (keyword.equals("FROM") ? "MAIL FROM:<address>" : "RCPT TO:<address>"));
        }
        // Clients that put a space after the colon exist; tolerate it.
        text = text.substring(keyword.length() + 1).stripLeading();
        if (!text.startsWith("<")) {
            throw new SyntaxException("The address must be in angle brackets");
        }
        int end = closingBracket(text);
        String path = text.substring(1, end);
        if (path.startsWith("@")) {
            // A source route (RFC 5321 section 4.1.2: accepted, and ignored).
            int colon = path.indexOf(':');
            if (colon < 0) {
                throw new SyntaxException("Malformed source route");
            }
            path = path.substring(colon + 1);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String rest = text.substring(end + 1);
        if (!rest.isEmpty() && !rest.startsWith(" ")) {
            throw new SyntaxException("Parameters must follow the address after a space");
        }
        for (String parameter : rest.trim().split(" +")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.isEmpty() || parameters.putIfAbsent(name, value) != null) {
                throw new SyntaxException("Duplicate or empty parameter " + name);
            }
        }
        return new PathArgument(path, parameters);
    }

    private static int closingBracket(String text) throws SyntaxException {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw new SyntaxException("The address has no closing angle bracket");
    }
}
