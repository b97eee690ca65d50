package org.mailslot.smtp.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.submission.SubmissionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a message that waits for its sender checks beyond what is held in memory: written to a
 * temporary file as it arrives (owner-only, under {@code java.io.tmpdir}, Karaf's {@code data/tmp}),
 * read back by the checks and, once they let the message in, into the spool; deleted either way. So
 * a checked message costs its size on disk until it is stored, not in the heap.
 *
 * <p>Used by the session's steps on workers, one after the other; the file is made at the first write.
 */
final class SpillFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);

    private Path file;
    private OutputStream out;

    /** Appends octets; a file that cannot be written is a temporary failure of the storage. */
    void write(byte[] octets, int offset, int length) throws SubmissionException {
        try {
            if (out == null) {
                file = Files.createTempFile("mailslot-checked-", ".eml");
                out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            }
            out.write(octets, offset, length);
        } catch (IOException e) {
            throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                    "Cannot keep a message for its sender checks in " + (file == null ? "java.io.tmpdir" : file) + ": "
                            + e.getMessage(), e);
        }
    }

    /**
     * @param tail what is held in memory after the spilled octets
     * @return the whole message: the spilled octets, then the tail (not copied: keep it unchanged)
     */
    MessageSource followedBy(byte[] tail, int tailLength) throws IOException {
        if (out != null) {
            out.flush();
        }
        Path spilled = file;
        return () -> {
            InputStream held = new ByteArrayInputStream(tail, 0, tailLength);
            return spilled == null ? held
                    : new SequenceInputStream(new BufferedInputStream(Files.newInputStream(spilled), 64 * 1024), held);
        };
    }

    /** Deletes the file. Never throws. */
    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing {}: {}", file, e.toString());
        }
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete {}, which held a message for its sender checks: {}", file, e.toString());
        }
        out = null;
        file = null;
    }
}
