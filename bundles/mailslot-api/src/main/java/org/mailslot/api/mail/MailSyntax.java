package org.mailslot.api.mail;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks shared by every value that ends up in an SMTP command or a message header.
 *
 * <p>Stateless and thread-safe.
 */
@ProviderType
public final class MailSyntax {

    private MailSyntax() {
    }

    /**
     * Refuses a value that contains CR, LF or NUL, the characters that would let a value end a
     * command or header line early and smuggle in another.
     *
     * @param what what the value is, for the error message ("subject", "sender address")
     * @param value the value to check
     * @return the value, unchanged
     * @throws IllegalArgumentException naming the character and its index
     * @throws NullPointerException if {@code value} is null
     */
    public static String requireSingleLine(String what, String value) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            String name = forbiddenName(value.charAt(i));
            if (name != null) {
                throw new IllegalArgumentException(
                        what + " " + quote(value) + " contains " + name + " at index " + i);
            }
        }
        return value;
    }

    /**
     * Quotes a value for an error message, escaping control characters so that the message
     * itself stays on one line.
     *
     * @param value any string
     * @return the value in double quotes, control characters as {@code \r}, {@code \n},
     *     {@code \0} or {@code \}{@code uXXXX}
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        int shown = Math.min(value.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\0' -> out.append("\\0");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < value.length()) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    static String forbiddenName(char c) {
        return switch (c) {
            case '\r' -> "a carriage return (CR)";
            case '\n' -> "a line feed (LF)";
            case '\0' -> "a NUL character";
            default -> null;
        };
    }
}
