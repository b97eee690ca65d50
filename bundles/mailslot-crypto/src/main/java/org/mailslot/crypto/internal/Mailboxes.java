package org.mailslot.crypto.internal;

import java.util.Optional;

import org.mailslot.api.mail.MailAddress;

/** Reads the address out of a From field value: {@code "Name" <a@b>}, {@code a@b (Name)}, {@code a@b}. */
final class Mailboxes {

    private Mailboxes() {
    }

    /** @return the first mailbox's address, or empty if there is none that parses */
    static Optional<MailAddress> first(String fieldValue) {
        String text = withoutComments(fieldValue);
        int open = indexOutsideQuotes(text, '<');
        String candidate;
        if (open >= 0) {
            int close = text.indexOf('>', open);
            if (close < 0) {
                return Optional.empty();
            }
            candidate = text.substring(open + 1, close);
        } else {
            int comma = indexOutsideQuotes(text, ',');
            candidate = comma < 0 ? text : text.substring(0, comma);
        }
        try {
            return Optional.of(MailAddress.parse(candidate.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String withoutComments(String text) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && depth == 0) {
                quoted = !quoted;
            } else if (c == '(' && !quoted) {
                depth++;
                continue;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
                continue;
            }
            if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOutsideQuotes(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
