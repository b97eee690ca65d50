package org.mailslot.crypto.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;

/**
 * The header section of a message (RFC 5322), read without reading the body, and the message with
 * some fields removed, streamed without copying the body. Immutable.
 */
final class HeaderSection {

    /** Longer header sections are refused: the policy decides from them and must not be flooded. */
    static final int MAX_BYTES = 1024 * 1024;

    /** One field with its raw octets (folded lines and line end included). */
    record Field(String name, String value, byte[] raw) {
    }

    private final List<Field> fields;
    /** Octets of the header section including the empty line that ends it. */
    private final int length;
    private final byte[] separator;

    private HeaderSection(List<Field> fields, int length, byte[] separator) {
        this.fields = List.copyOf(fields);
        this.length = length;
        this.separator = separator;
    }

    /**
     * @throws IOException if the message cannot be read or its header section is longer than
     *     {@link #MAX_BYTES}
     */
    static HeaderSection read(MessageSource message) throws IOException {
        byte[] octets = octets(message);
        // The one reading of a header section, as the OpenPGP and S/MIME bundles read it.
        MimeEntity entity = MimeEntity.parse(octets);
        List<Field> fields = new ArrayList<>();
        int fieldsEnd = 0;
        for (MimeEntity.Field field : entity.fields()) {
            fields.add(new Field(field.name(), field.value(), field.raw()));
            fieldsEnd += field.raw().length;
        }
        int bodyStart = entity.body().from();
        return new HeaderSection(fields, bodyStart, java.util.Arrays.copyOfRange(octets, fieldsEnd, bodyStart));
    }

    /**
     * @return whether the message's header section has a field of that name (any case), found
     *     without parsing it: what a policy that touches nobody needs to know to let a message pass
     * @throws IOException as {@link #read}
     */
    static boolean hasField(MessageSource message, String name) throws IOException {
        byte[] octets = octets(message);
        byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int start = 0; start < octets.length; ) {
            if (named(octets, start, wanted)) {
                return true;
            }
            int end = indexOf(octets, (byte) '\n', start);
            start = end < 0 ? octets.length : end + 1;
        }
        return false;
    }

    /** @return whether the line at {@code start} is a field of that name: the name, optional blanks, a colon */
    private static boolean named(byte[] octets, int start, byte[] name) {
        if (start + name.length >= octets.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (Character.toLowerCase((char) (octets[start + i] & 0xFF)) != Character.toLowerCase((char) name[i])) {
                return false;
            }
        }
        int i = start + name.length;
        while (i < octets.length && (octets[i] == ' ' || octets[i] == '\t')) {
            i++;
        }
        return i < octets.length && octets[i] == ':';
    }

    /** @return the octets of the header section, the empty line that ends it included, read in blocks */
    private static byte[] octets(MessageSource message) throws IOException {
        byte[] section = new byte[2 * 1024];
        int length = 0;
        int scanned = 0;
        try (InputStream in = message.open()) {
            while (true) {
                int end = sectionEnd(section, scanned, length);
                if (end >= 0) {
                    return java.util.Arrays.copyOf(section, end);
                }
                scanned = Math.max(0, length - 1);
                if (length >= MAX_BYTES) {
                    throw new IOException("the message's header section is longer than " + MAX_BYTES + " octets");
                }
                if (length == section.length) {
                    section = java.util.Arrays.copyOf(section, Math.min(section.length * 2, MAX_BYTES + 1));
                }
                int n = in.read(section, length, section.length - length);
                if (n < 0) {
                    return java.util.Arrays.copyOf(section, length);
                }
                length += n;
            }
        }
    }

    /**
     * @return the end of the header section (after the line feed of its empty line) if it is within
     *     {@code length}, else -1; an empty line is one line feed, alone or after a carriage return
     */
    private static int sectionEnd(byte[] octets, int from, int length) {
        for (int i = indexOf(octets, (byte) '\n', from, length); i >= 0; i = indexOf(octets, (byte) '\n', i + 1, length)) {
            if (i == 0 || octets[i - 1] == '\n' || (octets[i - 1] == '\r' && (i == 1 || octets[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] octets, byte b, int from) {
        return indexOf(octets, b, from, octets.length);
    }

    private static int indexOf(byte[] octets, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (octets[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** @return the value of the first field of that name (any case), unfolded */
    Optional<String> get(String name) {
        return fields.stream().filter(field -> field.name().equalsIgnoreCase(name)).map(Field::value).findFirst();
    }

    /** @return the values of every field of that name (any case), unfolded, in order */
    List<String> all(String name) {
        return fields.stream().filter(field -> field.name().equalsIgnoreCase(name)).map(Field::value).toList();
    }

    /** @return the octets of the header section, the empty line that ends it included */
    int length() {
        return length;
    }

    /** @return true if a field of that name is present */
    boolean has(String name) {
        return get(name).isPresent();
    }

    /**
     * @param message the message this section was read from
     * @param name the fields to remove (any case)
     * @return the message without them; the body is streamed from {@code message}
     */
    MessageSource without(MessageSource message, String name) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(length);
        fields.stream().filter(field -> !field.name().equalsIgnoreCase(name)).forEach(field -> kept.writeBytes(field.raw()));
        kept.writeBytes(separator);
        byte[] headers = kept.toByteArray();
        int skip = length;
        return () -> {
            InputStream body = message.open();
            try {
                body.skipNBytes(skip);
            } catch (IOException e) {
                body.close();
                throw e;
            }
            return new SequenceInputStream(new ByteArrayInputStream(headers), body);
        };
    }

    /** @return the names of the fields, lower case, for tests and logs */
    List<String> names() {
        return fields.stream().map(field -> field.name().toLowerCase(Locale.ROOT)).toList();
    }
}
