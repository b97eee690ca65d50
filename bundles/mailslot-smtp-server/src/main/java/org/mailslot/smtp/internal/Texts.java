package org.mailslot.smtp.internal;

/** Client-supplied text made safe to echo: in replies, in a header comment. */
final class Texts {

    private Texts() {
    }

    /** @return the text with anything outside printable ASCII replaced, for replies */
    static String printable(String text) {
        return restrict(text, "");
    }

    /** @return the text fit for a header comment: printable ASCII without parentheses or backslashes */
    static String commentSafe(String text) {
        return restrict(text, "()\\");
    }

    private static String restrict(String text, String forbidden) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 && forbidden.indexOf(c) < 0 ? c : '?');
        }
        return out.toString();
    }
}
