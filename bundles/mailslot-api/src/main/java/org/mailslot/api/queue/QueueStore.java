package org.mailslot.api.queue;

import java.time.Duration;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the queue: messages accepted and not yet finished, with their delivery state, durably. The
 * store decides nothing about delivery: it enqueues, keeps each message's due time and recipients'
 * state, hands due messages out under a {@link Lease}, and records what the {@link QueueConsumer}
 * decided. Its {@link MailQueue} methods are the operator's actions on the queue.
 *
 * <p><b>Lifecycle.</b> A store is registered as a service, with {@link #STORE} naming it, while it
 * can keep mail. One consumer {@link #attach attaches} to it (the delivery scheduler of this node);
 * several nodes may each attach to a store they share, and then compete for its messages. Messages
 * are leased only while a consumer is attached.
 *
 * <p><b>Threading.</b> Thread-safe; every method may be called concurrently. {@link #take} and
 * {@link #begin} do not wait for other messages' deliveries.
 *
 * <p><b>Failure.</b> What {@link #begin}'s writer commits is durable when the commit returns or its
 * stage completes; nothing acknowledged is lost across crashes and restarts. The operator's actions
 * on an unknown id return false; storage failures are {@link java.io.UncheckedIOException}s.
 */
@ProviderType
public interface QueueStore extends MailQueue {

    /** Service property: the store's kind, such as {@code file} (a local disk) or {@code artemis}. */
    String STORE = "mailslot.queue.store";

    /**
     * Enqueues a message, due at once. Its octets go to storage as they are written;
     * {@link MessageWriter#commit()} returns, and {@link NonBlockingWriter#commitAsync} completes, only
     * once the message and its envelope are durable, and only then does the message count as enqueued
     * (and the consumer hear of it through {@link QueueConsumer#due}). A writer closed without a commit
     * leaves nothing behind.
     *
     * <p>The SMTP listeners call this and the writer's {@code write} on their event loops for a message
     * of at most {@link NonBlockingSubmission#SMALL_MESSAGE} octets: for such a message neither may wait
     * for storage (hold it in memory until the commit); {@code commitAsync} may wait only on the
     * executor it is given.
     *
     * @param envelope the reverse path and recipients, at least one
     * @return the writer; close it in every case
     * @throws SubmissionException if no message can be enqueued now (storage full, shutting down)
     */
    NonBlockingWriter begin(Envelope envelope) throws SubmissionException;

    /**
     * Attaches the consumer that takes this store's messages, and classifies into lanes what the store
     * already holds. One consumer per store object; attaching a second replaces none.
     *
     * @return ends the attachment: no more leases and no more calls to the consumer; leases still
     *     held end as their holders end them
     * @throws IllegalStateException if a consumer is attached already
     */
    AutoCloseable attach(QueueConsumer consumer);

    /**
     * Leases the message of the lane that fell due first, if one is due now and not held, leased or
     * deleted. Never waits for a message to fall due.
     *
     * @param lane the lane to take from
     * @param leaseTime how long the lease holds unless renewed (a store shared by no other process
     *     may hold it until the process ends)
     * @return the lease, or empty if nothing in the lane is due
     * @throws IllegalStateException if no consumer is attached
     */
    Optional<Lease> take(Lane lane, Duration leaseTime);

    /**
     * Makes due now every message not held or leased whose last attempt left it waiting for the
     * reason (for a transport or a pipeline stage that has come), and tells the consumer. A store may
     * do this as well as it cheaply can: a message it misses waits for its next attempt.
     *
     * @return the number of messages made due
     */
    int dueNow(WaitReason waitingFor);
}
