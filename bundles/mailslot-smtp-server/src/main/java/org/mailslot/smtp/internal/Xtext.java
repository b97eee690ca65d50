package org.mailslot.smtp.internal;

/** The xtext encoding of DSN parameters (RFC 3461 section 4): {@code +XX} for an octet in hexadecimal. */
final class Xtext {

    private Xtext() {
    }

    /**
     * @param text an ENVID value or the address part of an ORCPT value, as the client sent it
     * @return the decoded text; printable US-ASCII, spaces included
     * @throws IllegalArgumentException if it is not well-formed xtext or decodes to anything else
     */
    static String decode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                int high = i + 2 < text.length() ? hex(text.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(text.charAt(i + 2));
                if (low < 0) {
                    throw new IllegalArgumentException("malformed xtext: \"+\" must be followed by two hexadecimal digits");
                }
                char decoded = (char) (high * 16 + low);
                if (decoded < 32 || decoded > 126) {
                    throw new IllegalArgumentException("xtext decodes to a character outside printable US-ASCII: +"
                            + text.substring(i + 1, i + 3));
                }
                out.append(decoded);
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw new IllegalArgumentException("malformed xtext: " + (c == '=' ? "\"=\"" : "a character outside 33..126")
                        + " must be encoded as +XX");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        // Lower case is not xtext, but harmless to accept; Postfix does too.
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
