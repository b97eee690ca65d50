package org.mailslot.support.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A MIME entity or whole message: its header fields, kept as the raw octets they arrived in, and
 * its body, a range of the same array (a large body is not copied). Lines end in CR LF or LF.
 * Parsing stops at the first line that is neither a field nor the continuation of one: with a
 * blank line the body follows it; without one (a message with no blank line) everything from that
 * line on is body, and {@link #strayLine()} says so. Not thread-safe to change, and never changed:
 * the array is not copied, so the caller must not change it afterwards.
 */
public final class MimeEntity {

    /** One header field: its name, its raw octets (folding and the final line end included), its unfolded value. */
    public record Field(String name, byte[] raw, String value) {

        public boolean named(String wanted) {
            return name.equalsIgnoreCase(wanted);
        }

        /** Content-* fields and MIME-Version describe the body; all others are the message's own. */
        public boolean describesContent() {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.startsWith("content-") || lower.equals("mime-version");
        }
    }

    /** A range of octets of {@link #octets()}. */
    public record Range(int from, int to) {

        public int length() {
            return to - from;
        }
    }

    private static final long LFS = OctetWords.repeated('\n');

    private final byte[] octets;
    private final List<Field> fields;
    private final int bodyOffset;
    private final int end;
    private final boolean strayLine;

    private MimeEntity(byte[] octets, List<Field> fields, int bodyOffset, int end, boolean strayLine) {
        this.octets = octets;
        this.fields = fields;
        this.bodyOffset = bodyOffset;
        this.end = end;
        this.strayLine = strayLine;
    }

    public static MimeEntity parse(byte[] octets) {
        return parse(octets, 0, octets.length);
    }

    /** @return the entity in {@code octets[from..to)} */
    public static MimeEntity parse(byte[] octets, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int position = from;
        while (position < to) {
            int blank = blankLineEnd(octets, position, to);
            if (blank > 0) {
                return new MimeEntity(octets, List.copyOf(fields), blank, to, false);
            }
            int fieldEnd = lineEnd(octets, position, to);
            while (fieldEnd < to && (octets[fieldEnd] == ' ' || octets[fieldEnd] == '\t')) {
                fieldEnd = lineEnd(octets, fieldEnd, to);
            }
            byte[] raw = Arrays.copyOfRange(octets, position, fieldEnd);
            String text = new String(raw, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0 || !isFieldName(text, colon)) {
                return new MimeEntity(octets, List.copyOf(fields), position, to, true);
            }
            String value = text.substring(colon + 1).replace("\r\n", "").replace("\n", "").strip();
            fields.add(new Field(text.substring(0, colon).strip(), raw, value));
            position = fieldEnd;
        }
        return new MimeEntity(octets, List.copyOf(fields), to, to, false);
    }

    public List<Field> fields() {
        return fields;
    }

    /** @return the first value of the named field, unfolded, or null */
    public String header(String name) {
        for (Field field : fields) {
            if (field.named(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** @return the values of every field of that name, in order */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.named(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    public ContentType contentType() {
        return ContentType.parse(header("Content-Type"));
    }

    public boolean hasContentType() {
        return header("Content-Type") != null;
    }

    /** @return the Content-Transfer-Encoding in lower case, {@code 7bit} when absent */
    public String transferEncoding() {
        String value = header("Content-Transfer-Encoding");
        return value == null ? "7bit" : value.strip().toLowerCase(Locale.ROOT);
    }

    /** @return the raw fields that belong to the message rather than to its content (From, To, Subject, ...) */
    public byte[] messageFields() {
        return join(false);
    }

    /** @return the raw Content-* fields and MIME-Version */
    public byte[] contentFields() {
        return join(true);
    }

    /** @return true if the header section ended at a line that is not a header field rather than at a blank line */
    public boolean strayLine() {
        return strayLine;
    }

    public byte[] octets() {
        return octets;
    }

    public Range body() {
        return new Range(bodyOffset, end);
    }

    public int bodyLength() {
        return end - bodyOffset;
    }

    public byte[] bodyCopy() {
        return Arrays.copyOfRange(octets, bodyOffset, end);
    }

    /**
     * Splits this entity's multipart body at the boundary its Content-Type names.
     *
     * @throws IllegalArgumentException as {@link #multipartParts(byte[], Range, String)}
     */
    public List<Range> multipartParts() {
        return multipartParts(contentType().parameter("boundary"));
    }

    /** @throws IllegalArgumentException as {@link #multipartParts(byte[], Range, String)} */
    public List<Range> multipartParts(String boundary) {
        return multipartParts(octets, body(), boundary);
    }

    /**
     * Splits a multipart body at its boundary (RFC 2046 section 5.1.1). A delimiter line is
     * {@code --boundary}, or {@code --boundary--} for the last, followed only by spaces or tabs.
     *
     * @return the ranges of the body parts, each from after its delimiter line to before the line
     *     end that belongs to the next delimiter
     * @throws IllegalArgumentException if the boundary is missing or longer than 70 characters, or
     *     there is no part or no close delimiter
     */
    public static List<Range> multipartParts(byte[] octets, Range body, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("a multipart without a valid boundary");
        }
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Range> parts = new ArrayList<>();
        int partStart = -1;
        int line = body.from();
        while (line < body.to()) {
            int next = lineEnd(octets, line, body.to());
            int delimiter = delimiterKind(octets, line, next, dash);
            if (delimiter != 0) {
                if (partStart >= 0) {
                    parts.add(new Range(partStart, Math.max(partStart, withoutLineEnd(octets, partStart, line))));
                }
                if (delimiter == 2) {
                    if (parts.isEmpty()) {
                        throw new IllegalArgumentException("a multipart without parts");
                    }
                    return List.copyOf(parts);
                }
                partStart = next;
            }
            line = next;
        }
        throw new IllegalArgumentException("a multipart without its close delimiter --" + boundary + "--");
    }

    /** @return 0 not a delimiter, 1 a delimiter, 2 the close delimiter */
    private static int delimiterKind(byte[] octets, int line, int next, byte[] dash) {
        int contentEnd = withoutLineEnd(octets, line, next);
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

    /** @return {@code to} less the CR LF or LF that ends there, if one does and lies after {@code from} */
    private static int withoutLineEnd(byte[] octets, int from, int to) {
        int result = to;
        if (result > from && octets[result - 1] == '\n') {
            result--;
            if (result > from && octets[result - 1] == '\r') {
                result--;
            }
        }
        return result;
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

    /** @return the index after the blank line starting at {@code position}, or 0 if there is none */
    private static int blankLineEnd(byte[] octets, int position, int to) {
        if (octets[position] == '\n') {
            return position + 1;
        }
        return position + 1 < to && octets[position] == '\r' && octets[position + 1] == '\n' ? position + 2 : 0;
    }

    private static boolean isFieldName(String text, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                // RFC 5322 allows no white space in a name; obsolete syntax allows it before the colon.
                if ((c == ' ' || c == '\t') && text.substring(i, colon).isBlank()) {
                    return true;
                }
                return false;
            }
        }
        return true;
    }

    /** @return the index after the next LF, or {@code to}; eight octets at a time, as multiparts are split over whole messages */
    public static int lineEnd(byte[] octets, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (OctetWords.contains(OctetWords.at(octets, i), LFS)) {
                break;
            }
        }
        for (; i < to; i++) {
            if (octets[i] == '\n') {
                return i + 1;
            }
        }
        return to;
    }
}
