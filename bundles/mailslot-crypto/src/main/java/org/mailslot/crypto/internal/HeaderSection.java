package org.mailslot.crypto.internal;

import java.io.BufferedInputStream;
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
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(message.open())) {
            int lineLength = 0;
            int previous = -1;
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (section.size() >= MAX_BYTES) {
                    throw new IOException("the message's header section is longer than " + MAX_BYTES + " octets");
                }
                section.write(b);
                lineLength++;
                if (b == '\n') {
                    if (lineLength == 1 || (lineLength == 2 && previous == '\r')) {
                        break;
                    }
                    lineLength = 0;
                }
                previous = b;
            }
        }
        // The one reading of a header section, as the OpenPGP and S/MIME bundles read it.
        byte[] octets = section.toByteArray();
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
