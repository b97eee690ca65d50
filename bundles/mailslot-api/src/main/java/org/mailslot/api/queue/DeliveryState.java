package org.mailslot.api.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.spool.Waiting;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The delivery state of a queued message as its last attempt left it (or as it was enqueued), the
 * starting point of the next attempt.
 *
 * @param attempts how many delivery attempts were made
 * @param nextAttempt when the message is due
 * @param waiting why the last attempt did not finish the message; empty before the first
 * @param recipients every recipient of the envelope, in envelope order
 */
@ProviderType
public record DeliveryState(int attempts, Instant nextAttempt, Optional<Waiting> waiting,
        List<RecipientProgress> recipients) {

    public DeliveryState {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(waiting, "waiting");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a queued message has at least one recipient");
        }
    }

    /** @return true if every recipient is delivered or failed: nothing is left to do */
    public boolean isFinished() {
        return recipients.stream().allMatch(r -> r.status().isFinal());
    }
}
