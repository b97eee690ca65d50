package org.mailslot.dkim.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One header field as it appears in the message: name, colon and value with its folding, without
 * the final CRLF.
 *
 * @param name the field name as written, without surrounding WSP
 * @param raw the octets of the field
 */
record HeaderField(String name, byte[] raw) {

    static HeaderField of(byte[] raw) {
        int colon = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return null;
        }
        return new HeaderField(new String(raw, 0, colon, StandardCharsets.ISO_8859_1).strip(), raw);
    }

    boolean named(String other) {
        return name.equalsIgnoreCase(other);
    }

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** @return the value after the colon, unfolded, as UTF-8 (RFC 6532) */
    String value() {
        int colon = name.length();
        while (raw[colon] != ':') {
            colon++;
        }
        return new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.UTF_8).replace("\r\n", "")
                .replace("\n", "");
    }
}
