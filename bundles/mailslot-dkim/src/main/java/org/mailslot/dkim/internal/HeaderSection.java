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

    static HeaderSection read(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int length = 0;
        int previous = -1;
        boolean lineStart = true;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            if (b == '\n' && lineStart && length <= 1) {
                // The message starts with the empty line: no header fields.
                length = 0;
                break;
            }
            if (length == buffer.length) {
                if (length >= MAX_OCTETS) {
                    throw new IOException("the header section is larger than " + MAX_OCTETS + " octets");
                }
                buffer = Arrays.copyOf(buffer, length * 2);
            }
            buffer[length++] = (byte) b;
            if (b == '\n') {
                if (previous == '\n' || endsWithEmptyLine(buffer, length)) {
                    break;
                }
                lineStart = true;
            } else if (b != '\r') {
                lineStart = false;
            }
            previous = b;
        }
        return new HeaderSection(split(buffer, length));
    }

    private static boolean endsWithEmptyLine(byte[] buffer, int length) {
        return length >= 4 && buffer[length - 2] == '\r' && buffer[length - 3] == '\n' && buffer[length - 4] == '\r';
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
