package org.mailslot.support.mail;

import java.util.Locale;

/**
 * The authserv-id an {@code Authentication-Results} field (RFC 8601) names: what tells the fields one
 * host wrote from the ones it received. The listener removes received fields that claim Mailslot's,
 * and the ARC sealer copies only Mailslot's own.
 */
public final class AuthservId {

    private AuthservId() {
    }

    /**
     * @param value the field's value (after the colon), folded or not
     * @return the authserv-id it names, leading comments skipped and quotes removed; empty if it names none
     */
    public static String of(String value) {
        String text = value.strip();
        int i = 0;
        while (i < text.length() && (text.charAt(i) == '(' || Character.isWhitespace(text.charAt(i)))) {
            if (text.charAt(i) == '(') {
                int depth = 0;
                for (; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '\\') {
                        i++;
                    } else if (c == '(') {
                        depth++;
                    } else if (c == ')' && --depth == 0) {
                        i++;
                        break;
                    }
                }
            } else {
                i++;
            }
        }
        int end = i;
        while (end < text.length() && text.charAt(end) != ';' && text.charAt(end) != '('
                && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String id = text.substring(Math.min(i, end), end);
        if (id.startsWith("\"") && id.endsWith("\"") && id.length() >= 2) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }

    /**
     * @return whether the field's value names this authserv-id, ignoring case and a final dot
     */
    public static boolean claims(String value, String authservId) {
        return normalize(of(value)).equals(normalize(authservId));
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
