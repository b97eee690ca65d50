package org.mailslot.spool.internal;

import java.nio.charset.StandardCharsets;

/**
 * Writes {@code key=value} lines that {@link java.util.Properties#load(java.io.InputStream)} reads
 * back exactly, escaped as {@link java.util.Properties#store(java.io.OutputStream, String)} escapes
 * them, without what {@code store} costs per call (a synchronized table and a formatted date
 * comment): the spool writes a head and a state file per message.
 */
final class PropertyLines {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final StringBuilder text = new StringBuilder(256);

    PropertyLines put(String key, String value) {
        escape(key, true);
        text.append('=');
        escape(value, false);
        text.append('\n');
        return this;
    }

    PropertyLines put(String key, long value) {
        escape(key, true);
        text.append('=').append(value).append('\n');
        return this;
    }

    private void escape(String s, boolean key) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ' ' -> text.append(i == 0 || key ? "\\ " : " ");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\f' -> text.append("\\f");
                case '\\', '=', ':', '#', '!' -> text.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        text.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
    }

    int length() {
        return text.length();
    }

    /** @return the lines in ISO 8859-1, all of whose characters are ASCII */
    byte[] toBytes() {
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
