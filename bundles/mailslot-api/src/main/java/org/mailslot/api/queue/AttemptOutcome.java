package org.mailslot.api.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.spool.Waiting;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What one attempt came to, decided by the consumer and recorded by the store as one change
 * ({@link Lease#finish}).
 *
 * @param state the message's delivery state after the attempt: every recipient's status, reply and
 *     wait reason, the attempts made, when the next one is due and why the message waits. When every
 *     recipient is delivered or failed ({@link DeliveryState#isFinished()}), the message leaves the queue.
 * @param notices the messages the attempt causes (notices to the sender), enqueued with the outcome
 * @param durable whether the outcome must survive a crash. False only when nothing was tried (the
 *     next attempt merely moved on, say because the destination is suspended): a store may then keep
 *     the change where it is cheap and lose it to a crash, which only brings an attempt forward.
 *     A finished message and any notice are always recorded durably.
 */
@ProviderType
public record AttemptOutcome(DeliveryState state, List<Notice> notices, boolean durable) {

    public AttemptOutcome {
        Objects.requireNonNull(state, "state");
        notices = List.copyOf(notices);
    }

    /** @return an outcome without notices */
    public static AttemptOutcome of(DeliveryState state, boolean durable) {
        return new AttemptOutcome(state, List.of(), durable);
    }

    /** @return when the message is due again */
    public Instant nextAttempt() {
        return state.nextAttempt();
    }

    /** @return why the message still waits, if it does */
    public Optional<Waiting> waiting() {
        return state.waiting();
    }
}
