package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;

/** Canonical line endings: every bare LF or bare CR becomes CRLF (RFC 3156 signs canonical text). */
final class Crlf {

    private Crlf() {
    }

    /** @return the bytes with CRLF line endings; the same array if they already have them */
    static byte[] canonical(byte[] bytes) {
        if (isCanonical(bytes)) {
            return bytes;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + bytes.length / 32 + 16);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static boolean isCanonical(byte[] bytes) {
        int i = 0;
        // CR (13) and LF (10) are both below 14: skip everything else eight bytes at a time.
        while ((i = ByteScan.indexOfBelow(bytes, 14, i)) >= 0) {
            if (bytes[i] == '\r') {
                if (i + 1 >= bytes.length || bytes[i + 1] != '\n') {
                    return false;
                }
                i += 2;
            } else if (bytes[i] == '\n') {
                return false;
            } else {
                i++;
            }
        }
        return true;
    }
}
