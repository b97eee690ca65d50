package org.mailslot.api.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The RFC 5322 octets of a message (CRLF line endings), readable as often as a delivery needs:
 * once per port tried, once per MX host.
 *
 * <p>Implementations must be thread-safe and return the same octets from every {@link #open()}.
 */
@FunctionalInterface
@ConsumerType
public interface MessageSource {

    /**
     * @return a new stream over the whole message; the caller closes it
     * @throws IOException if the message cannot be read
     */
    InputStream open() throws IOException;

    /** @return a source over a copy-free view of the given octets; do not change them afterwards */
    static MessageSource of(byte[] message) {
        Objects.requireNonNull(message, "message");
        return () -> new ByteArrayInputStream(message);
    }

    /** @return a source that reads the given file */
    static MessageSource of(Path file) {
        Objects.requireNonNull(file, "file");
        return () -> Files.newInputStream(file);
    }
}
