package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mailslot.api.crypto.CryptoException;

/**
 * A MIME entity split into its header fields (kept as raw octets, folding included) and its body.
 * Only as much MIME as PGP/MIME needs: the header block, Content-Type, and multipart bodies.
 */
final class MimeEntity {

    /** A header field: its name and its raw octets including the folded lines and the final CRLF. */
    record Field(String name, byte[] raw) {

        String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return text.substring(colon + 1).replace("\r\n", "").replace("\n", "").strip();
        }

        boolean isContentField() {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.startsWith("content-") || lower.equals("mime-version");
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final List<Field> fields;
    /** The parsed octets, not copied: the body is {@code octets[bodyStart..]}. */
    private final byte[] octets;
    private final int bodyStart;

    private MimeEntity(List<Field> fields, byte[] octets, int bodyStart) {
        this.fields = fields;
        this.octets = octets;
        this.bodyStart = bodyStart;
    }

    /**
     * @param octets an entity with CRLF line endings; not copied, so not to be changed afterwards
     * @return the entity
     */
    static MimeEntity parse(byte[] octets) throws CryptoException {
        List<Field> fields = new ArrayList<>();
        int i = 0;
        while (i < octets.length) {
            if (octets[i] == '\r' && i + 1 < octets.length && octets[i + 1] == '\n') {
                i += 2;
                break;
            }
            int start = i;
            int end = lineEnd(octets, i);
            while (end < octets.length && (octets[end] == ' ' || octets[end] == '\t')) {
                end = lineEnd(octets, end);
            }
            String line = new String(octets, start, Math.min(end, octets.length) - start, StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new CryptoException(CryptoException.Reason.MALFORMED, "a header line without a field name: "
                        + abbreviate(line));
            }
            byte[] raw = new byte[end - start];
            System.arraycopy(octets, start, raw, 0, raw.length);
            fields.add(new Field(line.substring(0, colon).strip(), raw));
            i = end;
        }
        return new MimeEntity(List.copyOf(fields), octets, Math.min(i, octets.length));
    }

    /** @return the index just past the CRLF (or LF) that ends the line starting at {@code from} */
    private static int lineEnd(byte[] octets, int from) {
        return ByteScan.lineEnd(octets, from);
    }

    List<Field> fields() {
        return fields;
    }

    /** @return a copy of the body */
    byte[] body() {
        return java.util.Arrays.copyOfRange(octets, bodyStart, octets.length);
    }

    /** @return the length of the body */
    int bodyLength() {
        return octets.length - bodyStart;
    }

    /** @return the first value of the named field, unfolded, or null */
    String header(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** @return the values of every field of that name, unfolded and read as UTF-8 (RFC 6532), in order */
    java.util.List<String> headerValues(String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                String text = new String(field.raw(), StandardCharsets.UTF_8);
                values.add(text.substring(text.indexOf(':') + 1).replace("\r\n", "").replace("\n", "").strip());
            }
        }
        return values;
    }

    ContentType contentType() {
        return ContentType.parse(header("Content-Type"));
    }

    /** @return the message headers that are not about content: From, To, Date, Subject, Message-ID, ... */
    byte[] outerHeaders() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field field : fields) {
            if (!field.isContentField()) {
                out.writeBytes(field.raw());
            }
        }
        return out.toByteArray();
    }

    /** @return the content headers and the body: the entity that protection wraps */
    byte[] innerEntity() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bodyLength() + 512);
        boolean hasType = false;
        for (Field field : fields) {
            if (field.isContentField() && !field.name().equalsIgnoreCase("MIME-Version")) {
                out.writeBytes(field.raw());
                hasType |= field.name().equalsIgnoreCase("Content-Type");
            }
        }
        if (!hasType) {
            out.writeBytes("Content-Type: text/plain; charset=us-ascii\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(CRLF);
        out.write(octets, bodyStart, bodyLength());
        return out.toByteArray();
    }

    /**
     * Splits a multipart body at its boundary (RFC 2046 §5.1.1).
     *
     * @return the parts, each from after its delimiter line's CRLF to before the CRLF that precedes
     *     the next delimiter, exactly as they were signed
     * @throws CryptoException if there is no boundary or no closing delimiter
     */
    List<byte[]> parts() throws CryptoException {
        String boundary = contentType().parameter("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "a multipart without a valid boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = octets;
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        int lineStart = bodyStart;
        while (lineStart < body.length) {
            int next = lineEnd(body, lineStart);
            if (startsWith(body, lineStart, delimiter)) {
                int after = lineStart + delimiter.length;
                boolean closing = after + 1 < body.length && body[after] == '-' && body[after + 1] == '-';
                int rest = closing ? after + 2 : after;
                if (onlyBlanks(body, rest, next)) {
                    if (partStart >= 0) {
                        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
                        int partEnd = Math.max(partStart, lineStart - 2);
                        parts.add(java.util.Arrays.copyOfRange(body, partStart, partEnd));
                    }
                    if (closing) {
                        return List.copyOf(parts);
                    }
                    partStart = next;
                }
            }
            lineStart = next;
        }
        throw new CryptoException(CryptoException.Reason.MALFORMED, "a multipart without its closing delimiter");
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (at + prefix.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyBlanks(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String line) {
        String text = line.strip();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
