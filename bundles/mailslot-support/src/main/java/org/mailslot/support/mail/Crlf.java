package org.mailslot.support.mail;

import java.io.ByteArrayOutputStream;

/** Canonical line endings (RFC 5322, RFC 8551 section 3.1.1): every line ends in CR LF. */
public final class Crlf {

    private Crlf() {
    }

    /** @return the octets with every bare LF and bare CR turned into CR LF; the same array when already canonical */
    public static byte[] canonical(byte[] octets) {
        if (isCanonical(octets)) {
            return octets;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(octets.length + octets.length / 32 + 16);
        for (int i = 0; i < octets.length; i++) {
            byte b = octets[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < octets.length && octets[i + 1] == '\n') {
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

    public static boolean isCanonical(byte[] octets) {
        for (int i = 0; i < octets.length; i++) {
            byte b = octets[i];
            if (b == '\r') {
                if (i + 1 >= octets.length || octets[i + 1] != '\n') {
                    return false;
                }
                i++;
            } else if (b == '\n') {
                return false;
            }
        }
        return true;
    }
}
