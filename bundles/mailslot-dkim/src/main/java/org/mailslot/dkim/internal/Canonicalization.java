package org.mailslot.dkim.internal;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/** The two canonicalization algorithms of RFC 6376 section 3.4, for header fields and bodies. */
enum Canonicalization {
    SIMPLE, RELAXED;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Canonicalization> ofTag(String tag) {
        return switch (tag.toLowerCase(Locale.ROOT)) {
            case "simple" -> Optional.of(SIMPLE);
            case "relaxed" -> Optional.of(RELAXED);
            default -> Optional.empty();
        };
    }

    /**
     * @param field a header field as it appears (name, colon, value with its folding), without the final CRLF
     * @return the field canonicalized, with a final CRLF
     */
    byte[] header(byte[] field) {
        return this == SIMPLE ? withCrlf(field) : relaxedHeader(field, true);
    }

    /** @return the field canonicalized without the final CRLF, as the signature's own field is hashed */
    byte[] headerWithoutCrlf(byte[] field) {
        return this == SIMPLE ? field.clone() : relaxedHeader(field, false);
    }

    private static byte[] withCrlf(byte[] field) {
        byte[] out = new byte[field.length + 2];
        System.arraycopy(field, 0, out, 0, field.length);
        out[field.length] = '\r';
        out[field.length + 1] = '\n';
        return out;
    }

    /** Section 3.4.2: name in lower case, unfolded, runs of WSP as one SP, none around the colon or at the end. */
    private static byte[] relaxedHeader(byte[] field, boolean crlf) {
        int colon = indexOf(field, (byte) ':');
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(field[nameEnd - 1])) {
            nameEnd--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length + 2);
        for (int i = 0; i < nameEnd; i++) {
            byte b = field[i];
            out.write(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < field.length; i++) {
            byte b = field[i];
            if (b == '\r' || b == '\n') {
                continue;
            }
            if (isWsp(b)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.write(' ');
                pendingSpace = false;
            }
            out.write(b);
            started = true;
        }
        if (crlf) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("a header field without a colon");
    }
}
