package org.mailslot.api.spool;

import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's view of the spool: every message accepted and not yet finished, with the state
 * of each of its recipients, and the few things an operator does to them.
 *
 * <p><b>Lifecycle.</b> Registered by the spool implementation while it runs, next to
 * {@link org.mailslot.api.submission.MailSubmission}.
 *
 * <p><b>Threading.</b> Thread-safe. Entries are snapshots: the spool keeps delivering while a
 * caller looks at them.
 *
 * <p><b>Failure.</b> Operations on an unknown id return {@code false} (it was delivered, bounced
 * or deleted meanwhile). Changes are made durable before the method returns where the spool
 * persists state; {@link java.io.UncheckedIOException} reports a storage failure.
 */
@ProviderType
public interface MailQueue {

    /** @return a snapshot of every message in the spool, oldest first */
    List<QueueEntry> list();

    /** @return a snapshot of one message, if it is still in the spool */
    Optional<QueueEntry> entry(String id);

    /**
     * Stops delivery attempts for a message until {@link #release}; a held message does not
     * expire while held.
     *
     * @return false if no message has that id
     */
    boolean hold(String id);

    /**
     * Lets a held message be delivered again, at once.
     *
     * @return false if no message has that id
     */
    boolean release(String id);

    /**
     * Removes a message without delivering it and without a bounce. A delivery already under way
     * finishes, and the message is removed after it.
     *
     * @return false if no message has that id
     */
    boolean delete(String id);

    /**
     * Makes every message that is not held due now, ignoring its backoff.
     *
     * @return the number of messages made due
     */
    int flush();

    /**
     * Makes one message due now, ignoring its backoff. A held message stays held; a destination
     * suspended stays suspended (only {@link #flush()} resumes destinations).
     *
     * @return false if no message has that id
     * @since 1.2
     */
    boolean flush(String id);

    /**
     * The octets of a message still in the spool, for an operator to read ({@code mailslot:queue-show}).
     * Reading the source fails with an {@link java.io.IOException} once the message has left the spool.
     *
     * @return the message, or empty if no message has that id
     * @since 1.2
     */
    Optional<MessageSource> content(String id);

    /** @return the number of messages in the spool */
    int depth();
}
