package org.mailslot.support.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The header section of a message as it lies in the octets: every field line up to and with the
 * empty line that ends the section (CRLF, or a bare LF), read without decoding anything.
 */
public final class HeaderOctets {

    private HeaderOctets() {
    }

    /**
     * Reads the header section and its empty line, or the whole message if it has none, but never more
     * than {@code max} octets; the stream is left right after what was read. A result of {@code max}
     * octets may be a section cut short: to refuse those, read {@code max + 1} and compare.
     *
     * @param in the message, at its start; read octet by octet, so give a buffered stream
     * @param max the most octets to read
     * @return the octets read
     * @throws IOException if the stream fails
     */
    public static byte[] read(InputStream in, int max) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(Math.min(max, 8192));
        int previous = -1;
        int lineLength = 0;
        while (header.size() < max) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            header.write(b);
            if (b == '\n') {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
                    break;
                }
                lineLength = 0;
            } else {
                lineLength++;
            }
            previous = b;
        }
        return header.toByteArray();
    }
}
