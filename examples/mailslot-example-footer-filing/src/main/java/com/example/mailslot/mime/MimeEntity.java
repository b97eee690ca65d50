package com.example.mailslot.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One MIME entity — a whole message or one body part — as octets: its header fields and its body.
 * Header fields are kept byte for byte (read as ISO-8859-1, which maps every octet to one char),
 * so that an entity rebuilt with one field changed differs from the original in that field only.
 * Immutable.
 */
public final class MimeEntity {

    private static final byte[] CRLF = {'\r', '\n'};

    /** One header field as it stood: {@code raw} holds its folded lines and their final CRLF. */
    private record Field(String name, String raw) {

        String unfoldedValue() {
            String value = raw.substring(raw.indexOf(':') + 1);
            return value.replaceAll("\r\n(?=[ \t])", "").strip();
        }
    }

    private final List<Field> fields;
    private final byte[] body;

    private MimeEntity(List<Field> fields, byte[] body) {
        this.fields = List.copyOf(fields);
        this.body = body;
    }

    /**
     * @param octets an entity with CRLF line endings: header fields, an empty line, the body
     * @return the entity; without an empty line everything is header and the body is empty
     */
    public static MimeEntity parse(byte[] octets) {
        int headerEnd;
        int bodyStart;
        if (startsWithCrlf(octets)) {
            headerEnd = 0;
            bodyStart = 2;
        } else {
            int blank = indexOf(octets, new byte[] {'\r', '\n', '\r', '\n'}, 0);
            headerEnd = blank < 0 ? octets.length : blank + 2;
            bodyStart = blank < 0 ? octets.length : blank + 4;
        }
        String header = new String(octets, 0, headerEnd, StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : header.split("(?<=\r\n)")) {
            if (line.isEmpty()) {
                continue;
            }
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (continuation && current != null) {
                current.append(line);
                continue;
            }
            if (current != null) {
                fields.add(field(current.toString()));
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            fields.add(field(current.toString()));
        }
        return new MimeEntity(fields, Arrays.copyOfRange(octets, bodyStart, octets.length));
    }

    private static Field field(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw.strip() : raw.substring(0, colon).strip();
        return new Field(name, raw.endsWith("\r\n") ? raw : raw + "\r\n");
    }

    /** @return the first field of that name (any case), unfolded and without surrounding blanks */
    public Optional<String> value(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::unfoldedValue).findFirst();
    }

    /** @return every field of that name (any case), unfolded, in order */
    public List<String> values(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::unfoldedValue).toList();
    }

    /** @return true if a field of that name is present */
    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
    }

    /** @return the field names in order, as written */
    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /** @return the body octets (a copy) */
    public byte[] body() {
        return body.clone();
    }

    /** @return the content type, {@code text/plain; charset=us-ascii} when absent (RFC 2045 section 5.2) */
    public ContentType contentType() {
        return value("Content-Type").map(ContentType::parse).orElse(ContentType.DEFAULT);
    }

    /** @return the transfer encoding in lower case, {@code 7bit} when absent */
    public String transferEncoding() {
        return value("Content-Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT)).orElse("7bit");
    }

    /** @return true if the Content-Disposition says {@code attachment} */
    public boolean isAttachment() {
        return value("Content-Disposition").map(v -> v.toLowerCase(Locale.ROOT).strip().startsWith("attachment"))
                .orElse(false);
    }

    /** @return this entity with another body */
    public MimeEntity withBody(byte[] newBody) {
        return new MimeEntity(fields, newBody.clone());
    }

    /** @return this entity with the first field of that name replaced, or the field added last */
    public MimeEntity withField(String name, String value) {
        List<Field> changed = new ArrayList<>(fields);
        Field field = new Field(name, name + ": " + value + "\r\n");
        for (int i = 0; i < changed.size(); i++) {
            if (changed.get(i).name().equalsIgnoreCase(name)) {
                changed.set(i, field);
                return new MimeEntity(changed, body);
            }
        }
        changed.add(field);
        return new MimeEntity(changed, body);
    }

    /** @return this entity with a field added before all others (where trace fields go) */
    public MimeEntity withFieldFirst(String name, String value) {
        List<Field> changed = new ArrayList<>();
        changed.add(new Field(name, name + ": " + value + "\r\n"));
        changed.addAll(fields);
        return new MimeEntity(changed, body);
    }

    /** @return the entity's octets: header fields, an empty line, the body */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        for (Field field : fields) {
            out.writeBytes(field.raw().getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(CRLF);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static boolean startsWithCrlf(byte[] octets) {
        return octets.length >= 2 && octets[0] == '\r' && octets[1] == '\n';
    }

    /** @return the index of the first occurrence of {@code needle} at or after {@code from}, or -1 */
    public static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
