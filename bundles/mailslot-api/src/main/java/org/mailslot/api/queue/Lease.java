package org.mailslot.api.queue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One message handed to one consumer for one delivery attempt ({@link QueueStore#take}). While the
 * lease holds, no other consumer (no other node sharing the store) is given the message.
 *
 * <p><b>Lifecycle.</b> A lease ends exactly once: with {@link #finish} (the attempt's outcome) or
 * {@link #putBack} (no attempt was made). If its holder crashes, or the lease {@link #expires()}
 * unfinished, the store gives the message out again as it was before the lease; whatever the lost
 * attempt delivered may then be delivered twice (at least once, never lost).
 *
 * <p><b>Threading.</b> A lease may be handed from thread to thread (a local worker, then a remote
 * one), but is used by one at a time. Its values are a snapshot taken when it was granted.
 *
 * <p><b>Failure.</b> After the lease is lost, {@link #finish} throws {@link LeaseLostException}
 * and {@link #putBack} does nothing. An operator's {@link org.mailslot.api.spool.MailQueue#delete}
 * of a leased message takes effect when the lease ends, whichever way.
 */
@ProviderType
public interface Lease {

    /** @return the message's queue id, as shown by {@code mailslot:queue} and in receipts */
    String id();

    /** @return the envelope as it was enqueued */
    Envelope envelope();

    /** @return when the queue accepted the message */
    Instant acceptedAt();

    /** @return the message size in octets */
    long size();

    /** @return the message octets, readable as often as the attempt needs while the lease holds */
    MessageSource message();

    /** @return the delivery state the attempt starts from */
    DeliveryState state();

    /**
     * @return when the lease ends unless renewed; {@link Instant#MAX} for a store that no other
     *     process shares, whose leases end only with the process
     */
    Instant expires();

    /**
     * Extends the lease, for an attempt that takes longer than the time it was taken for.
     *
     * @param by how long from now
     * @return false if the lease was already lost: stop, and {@link #putBack()}
     */
    boolean renew(Duration by);

    /**
     * Records the attempt's outcome and enqueues its notices as one change: after a crash either both
     * are there or neither is (a store without transactions makes the notices durable first, so a
     * crash in between repeats a notice, never loses one). The message is then due at the outcome's
     * next attempt in the lane {@link QueueConsumer#laneOf} gives, or leaves the queue when finished.
     * Blocks until the change is made as durable as the outcome asks.
     *
     * @param outcome what the attempt came to
     * @throws LeaseLostException if the lease was lost: nothing was recorded
     * @throws IOException if the store could not record it; nothing of the outcome counts, and the
     *     lease still holds: finish again (without the notices, say) or put the message back
     * @throws IllegalArgumentException if the outcome's recipients are not the message's, in order
     * @throws IllegalStateException if the lease already ended
     */
    void finish(AttemptOutcome outcome) throws IOException;

    /**
     * Ends the lease without an attempt (every destination was busy): the message keeps its state and
     * stays due. Never throws for a lost lease.
     *
     * @throws IllegalStateException if the lease already ended
     */
    void putBack();
}
