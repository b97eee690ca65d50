package org.mailslot.dkim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header fields of a message, read from the start of a stream; the stream is left at the first
 * octet of the body. A message whose header section is larger than {@link #MAX_OCTETS} is refused.
 *
 * @param fields the fields in order, topmost first
 */
record HeaderSection(List<HeaderField> fields) {

    /** More header than this is not mail: 1 MiB. */
    static final int MAX_OCTETS = 1 << 20;

    /** Most header sections fit; a larger one doubles it. */
    private static final int BLOCK = 2048;

    /**
     * Reads in blocks (an octet at a time through a {@code BufferedInputStream} costs a lock per octet),
     * then goes back to the body's start: the stream must support mark and reset.
     *
     * @param in a stream at the start of a message, which supports {@link InputStream#mark}
     */
    static HeaderSection read(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the header section is read from a stream that supports mark");
        }
        in.mark(MAX_OCTETS + BLOCK);
        byte[] buffer = new byte[BLOCK];
        int length = 0;
        int lineStart = 0;
        int scanned = 0;
        int bodyStart = -1;
        while (bodyStart < 0) {
            if (length == buffer.length) {
                if (length >= MAX_OCTETS) {
                    throw new IOException("the header section is larger than " + MAX_OCTETS + " octets");
                }
                buffer = Arrays.copyOf(buffer, length * 2);
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            for (; scanned < length; scanned++) {
                if (buffer[scanned] == '\n') {
                    int content = scanned - lineStart;
                    if (content == 0 || content == 1 && buffer[lineStart] == '\r') {
                        bodyStart = scanned + 1;
                        break;
                    }
                    lineStart = scanned + 1;
                }
            }
        }
        if (bodyStart >= 0) {
            in.reset();
            in.skipNBytes(bodyStart);
            // Gives up the mark, so that reading the body does not keep it in memory.
            in.mark(0);
        }
        return new HeaderSection(split(buffer, bodyStart >= 0 ? lineStart : length));
    }

    private static List<HeaderField> split(byte[] buffer, int length) {
        List<HeaderField> fields = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < length) {
            int lineEnd = i;
            while (lineEnd < length && buffer[lineEnd] != '\n') {
                lineEnd++;
            }
            int next = lineEnd + 1;
            boolean continues = next < length && (buffer[next] == ' ' || buffer[next] == '\t');
            if (!continues) {
                int end = lineEnd < length && lineEnd > start && buffer[lineEnd - 1] == '\r' ? lineEnd - 1
                        : Math.min(lineEnd, length);
                if (end > start) {
                    HeaderField field = HeaderField.of(Arrays.copyOfRange(buffer, start, end));
                    if (field != null) {
                        fields.add(field);
                    }
                }
                start = next;
            }
            i = next;
        }
        return List.copyOf(fields);
    }

    /** @return the fields with this name, topmost first */
    List<HeaderField> named(String name) {
        return fields.stream().filter(f -> f.named(name)).toList();
    }
}
