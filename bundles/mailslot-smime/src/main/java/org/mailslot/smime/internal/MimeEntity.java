package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A MIME entity or whole message in canonical form: its header fields, kept as the raw octets they
 * arrived in, and its body, a range of the same array (no copy of a large body is made).
 */
final class MimeEntity {

    /** One header field: its name, its raw octets (folding and the final CR LF included), its unfolded value. */
    record Field(String name, byte[] raw, String value) {

        boolean named(String wanted) {
            return name.equalsIgnoreCase(wanted);
        }

        /** Content-* fields and MIME-Version describe the body; all others are the message's own. */
        boolean describesContent() {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.startsWith("content-") || lower.equals("mime-version");
        }
    }

    /** A range of octets. */
    record Range(int from, int to) {

        int length() {
            return to - from;
        }
    }

    private final byte[] octets;
    private final List<Field> fields;
    private final int bodyOffset;
    private final int end;

    private MimeEntity(byte[] octets, List<Field> fields, int bodyOffset, int end) {
        this.octets = octets;
        this.fields = fields;
        this.bodyOffset = bodyOffset;
        this.end = end;
    }

    /** @param canonical octets with CR LF line endings */
    static MimeEntity parse(byte[] canonical) {
        return parse(canonical, 0, canonical.length);
    }

    static MimeEntity parse(byte[] canonical, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int position = from;
        while (position < to) {
            if (startsWithCrlf(canonical, position, to)) {
                return new MimeEntity(canonical, List.copyOf(fields), position + 2, to);
            }
            int fieldEnd = lineEnd(canonical, position, to);
            while (fieldEnd < to && (canonical[fieldEnd] == ' ' || canonical[fieldEnd] == '\t')) {
                fieldEnd = lineEnd(canonical, fieldEnd, to);
            }
            byte[] raw = Arrays.copyOfRange(canonical, position, fieldEnd);
            String text = new String(raw, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                // Not a header field: the message has no blank line, everything left is body.
                return new MimeEntity(canonical, List.copyOf(fields), position, to);
            }
            String value = text.substring(colon + 1).replace("\r\n", "").strip();
            fields.add(new Field(text.substring(0, colon).strip(), raw, value));
            position = fieldEnd;
        }
        return new MimeEntity(canonical, List.copyOf(fields), to, to);
    }

    List<Field> fields() {
        return fields;
    }

    String header(String name) {
        for (Field field : fields) {
            if (field.named(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** @return the values of every field of that name, in order */
    List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.named(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    ContentType contentType() {
        return ContentType.parse(header("Content-Type"));
    }

    String transferEncoding() {
        String value = header("Content-Transfer-Encoding");
        return value == null ? "7bit" : value.strip().toLowerCase(Locale.ROOT);
    }

    /** @return the raw fields that belong to the message rather than to its content (From, To, Subject, ...) */
    byte[] messageFields() {
        return join(false);
    }

    /** @return the raw Content-* fields */
    byte[] contentFields() {
        return join(true);
    }

    boolean hasContentType() {
        return header("Content-Type") != null;
    }

    byte[] octets() {
        return octets;
    }

    Range body() {
        return new Range(bodyOffset, end);
    }

    byte[] bodyCopy() {
        return Arrays.copyOfRange(octets, bodyOffset, end);
    }

    /**
     * Splits a multipart body at its boundary (RFC 2046 section 5.1.1).
     *
     * @return the ranges of the body parts, without the CR LF that belongs to the next delimiter
     * @throws IllegalArgumentException if there is no boundary, no part or no close delimiter
     */
    List<Range> multipartParts(String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("multipart without a valid boundary");
        }
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Range> parts = new ArrayList<>();
        int partStart = -1;
        int line = bodyOffset;
        while (line < end) {
            int next = lineEnd(octets, line, end);
            int delimiter = delimiterKind(octets, line, next, dash);
            if (delimiter != 0) {
                if (partStart >= 0) {
                    parts.add(new Range(partStart, Math.max(partStart, line - 2)));
                }
                if (delimiter == 2) {
                    if (parts.isEmpty()) {
                        throw new IllegalArgumentException("multipart without parts");
                    }
                    return List.copyOf(parts);
                }
                partStart = next;
            }
            line = next;
        }
        throw new IllegalArgumentException("multipart without its close delimiter --" + boundary + "--");
    }

    /** @return 0 not a delimiter, 1 a delimiter, 2 the close delimiter */
    private static int delimiterKind(byte[] octets, int line, int next, byte[] dash) {
        int contentEnd = next;
        if (contentEnd - line >= 2 && octets[contentEnd - 2] == '\r' && octets[contentEnd - 1] == '\n') {
            contentEnd -= 2;
        }
        if (contentEnd - line < dash.length || !Arrays.equals(octets, line, line + dash.length, dash, 0, dash.length)) {
            return 0;
        }
        int position = line + dash.length;
        int kind = 1;
        if (contentEnd - position >= 2 && octets[position] == '-' && octets[position + 1] == '-') {
            kind = 2;
            position += 2;
        }
        for (; position < contentEnd; position++) {
            if (octets[position] != ' ' && octets[position] != '\t') {
                return 0;
            }
        }
        return kind;
    }

    private byte[] join(boolean content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field field : fields) {
            if (field.describesContent() == content) {
                out.writeBytes(field.raw());
            }
        }
        return out.toByteArray();
    }

    private static boolean startsWithCrlf(byte[] octets, int position, int to) {
        return position + 1 < to && octets[position] == '\r' && octets[position + 1] == '\n';
    }

    /** @return the index after the next CR LF, or {@code to} */
    static int lineEnd(byte[] octets, int from, int to) {
        for (int i = from; i < to; i++) {
            if (octets[i] == '\n') {
                return i + 1;
            }
        }
        return to;
    }
}
