package org.mailslot.api.submission;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message being received, written straight to durable storage as it arrives, so that a large
 * message never has to be held in memory or copied twice. Obtained from
 * {@link MailSubmission#begin}.
 *
 * <p><b>Threading.</b> One writer belongs to one sender at a time; it is not thread-safe, but it
 * may be handed from thread to thread (an event loop writes, a worker commits).
 *
 * <p><b>Failure.</b> Until {@link #commit()} returns, nothing is accepted. {@link #close()} without
 * a successful commit discards every byte written, so a dropped connection leaves no trace. An
 * {@link IOException} from {@link #write} ends the writer: commit then throws.
 */
@ProviderType
public interface MessageWriter extends AutoCloseable {

    /**
     * Appends octets of the message, RFC 5322 with CRLF line endings, not dot-stuffed.
     *
     * @throws SubmissionException with {@link SubmissionException.Reason#TOO_LARGE} once the
     *     message exceeds the size limit, or {@link SubmissionException.Reason#STORAGE_FULL}
     *     when storage runs out; the writer is then unusable
     */
    void write(byte[] octets, int offset, int length) throws SubmissionException;

    /** @return an output stream view of {@link #write}, for code that wants one */
    default OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    MessageWriter.this.write(b, off, len);
                } catch (SubmissionException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Makes the message and its envelope durable (fsync'd and atomically visible) and accepts it.
     * Blocks for the storage's commit; call it off any event loop.
     *
     * @return the receipt; from now on the message will be delivered or bounced
     * @throws SubmissionException if the message could not be made durable; nothing was accepted
     */
    SubmissionReceipt commit() throws SubmissionException;

    /** Discards the message unless it was committed. Never throws. */
    @Override
    void close();
}
