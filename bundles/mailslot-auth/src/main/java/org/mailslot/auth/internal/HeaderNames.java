package org.mailslot.auth.internal;

/** Whether a message's header section has a field of a name, found without parsing the fields. */
final class HeaderNames {

    private HeaderNames() {
    }

    /**
     * @param message a message, or its header section
     * @param name a field name, compared ignoring ASCII case
     * @return whether a line of the header section starts with the name and a colon (WSP may come between)
     */
    static boolean present(byte[] message, String name) {
        int lineStart = 0;
        while (lineStart < message.length) {
            byte first = message[lineStart];
            if (first == '\n' || first == '\r' && lineStart + 1 < message.length && message[lineStart + 1] == '\n') {
                return false;
            }
            if (startsWithName(message, lineStart, name)) {
                return true;
            }
            int lf = lineStart;
            while (lf < message.length && message[lf] != '\n') {
                lf++;
            }
            lineStart = lf + 1;
        }
        return false;
    }

    private static boolean startsWithName(byte[] message, int at, String name) {
        if (at + name.length() >= message.length) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int b = message[at + i];
            char c = name.charAt(i);
            if (b != c && Character.toLowerCase((char) b) != Character.toLowerCase(c)) {
                return false;
            }
        }
        int i = at + name.length();
        while (i < message.length && (message[i] == ' ' || message[i] == '\t')) {
            i++;
        }
        return i < message.length && message[i] == ':';
    }
}
