package org.mailslot.queue.artemis.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.files.OwnerOnly;

/**
 * A message's octets on their way to or from the broker: on the heap up to the broker's large-message
 * threshold, beyond it in an owner-only file, so that a large body is never held whole in memory. The
 * client streams a file-backed body to the broker as a large message.
 */
final class BodyBuffer implements AutoCloseable {

    /**
     * The client's {@code minLargeMessageSize} unless {@code artemis.url} names one: larger bodies travel as
     * large messages, a file of their own on the broker. Above Artemis' default (100 KiB), so that mail of a
     * few hundred KB goes into the broker's journal with the rest (one group-committed write, no file to
     * create, sync and delete per message and per deferral), and below its journal buffer (490 KiB).
     */
    static final int LARGE = 256 * 1024;

    /**
     * Octets on the heap, read and handed to the client where they lie: a body of 100 KB was copied about ten
     * times per message (at every enqueue, take and deferral), each copy a new array for the collector.
     */
    private static final class Octets extends ByteArrayOutputStream {

        /** Takes a whole body as its octets, when nothing was written yet. */
        synchronized void adopt(byte[] octets) {
            buf = octets;
            count = octets.length;
        }

        /** @return the octets written so far, read where they lie: later writes append after them or to a new array */
        synchronized MessageSource snapshot() {
            byte[] octets = buf;
            int length = count;
            return () -> new ByteArrayInputStream(octets, 0, length);
        }

        synchronized void into(ActiveMQBuffer body) {
            body.writeBytes(buf, 0, count);
        }
    }

    private final Path directory;
    private Octets memory = new Octets();
    private Path file;
    private OutputStream fileOut;
    private long size;

    BodyBuffer(Path directory) {
        this.directory = directory;
    }

    void write(byte[] octets, int offset, int length) throws IOException {
        if (file == null && memory.size() + length > LARGE) {
            OwnerOnly.createDirectories(directory);
            file = Files.createTempFile(directory, "body-", ".eml", OwnerOnly.fileAttributes());
            fileOut = Files.newOutputStream(file);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (file == null) {
            memory.write(octets, offset, length);
        } else {
            fileOut.write(octets, offset, length);
        }
        size += length;
    }

    void writeAll(InputStream in) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            write(chunk, 0, n);
        }
    }

    /** Reads a received broker message's body, a large one as the client streams it. */
    void readFrom(ClientMessage message) throws IOException {
        if (message.isLargeMessage()) {
            try {
                message.saveToOutputStream(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        BodyBuffer.this.write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        BodyBuffer.this.write(b, off, len);
                    }
                });
            } catch (org.apache.activemq.artemis.api.core.ActiveMQException e) {
                throw new IOException("cannot read a large message from the broker: " + e.getMessage(), e);
            }
        } else {
            byte[] octets = new byte[message.getBodyBuffer().readableBytes()];
            message.getBodyBuffer().readBytes(octets);
            if (size == 0 && file == null && octets.length <= LARGE) {
                memory.adopt(octets);
                size = octets.length;
            } else {
                write(octets, 0, octets.length);
            }
        }
    }

    long size() {
        return size;
    }

    /** Puts the octets into a broker message: in its body, or as a stream the client sends in chunks. */
    void into(ClientMessage message) throws IOException {
        if (file == null) {
            memory.into(message.getBodyBuffer());
        } else {
            fileOut.flush();
            message.setBodyInputStream(Files.newInputStream(file));
        }
    }

    /** @return the octets, readable as often as needed until this buffer is closed */
    MessageSource source() throws IOException {
        if (file == null) {
            return memory.snapshot();
        }
        fileOut.flush();
        Path body = file;
        return () -> Files.newInputStream(body);
    }

    InputStream open() throws IOException {
        return source().open();
    }

    @Override
    public void close() {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary body in the store's own directory is removed at the next start.
        }
    }
}
