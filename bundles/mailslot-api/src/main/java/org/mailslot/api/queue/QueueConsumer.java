package org.mailslot.api.queue;

import java.util.List;

import org.mailslot.api.mail.Recipient;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a {@link QueueStore} tells the one that takes its messages (the delivery scheduler), given
 * to {@link QueueStore#attach}.
 *
 * <p><b>Threading.</b> Both methods are called from the store's own threads (its committer, an
 * operator's call, a broker client's thread), possibly concurrently. They return quickly and never
 * block on storage or on a delivery: {@link #due} may {@link QueueStore#take take} messages and
 * hand them to workers, not attempt them itself.
 *
 * <p><b>Failure.</b> A runtime exception thrown from here is logged by the store and otherwise
 * ignored; the messages concerned are taken at the consumer's next look.
 */
@ConsumerType
public interface QueueConsumer {

    /**
     * Decides the lane of a message: when it is enqueued, when an attempt ends with recipients still
     * pending, and for every message a store holds when the consumer attaches. A store asked to
     * enqueue with no consumer attached puts the message in {@link Lane#LOCAL} if it cannot wait to ask
     * (a local worker hands what is not local on).
     *
     * @param pending the recipients not yet delivered or failed, in envelope order; never empty
     * @return the lane the message waits in until its next attempt
     */
    Lane laneOf(List<Recipient> pending);

    /**
     * Messages may have fallen due in the lane: one was enqueued, released, flushed or made due by
     * {@link QueueStore#dueNow}. The consumer takes them with {@link QueueStore#take} when it has room.
     * A store need not call this when a message falls due by time alone (the consumer looks
     * regularly), and does not when a lease ends: the consumer that ended it knows, and a message
     * put back because its destinations were busy is not to be taken again at once.
     *
     * @param lane where they wait
     */
    void due(Lane lane);
}
