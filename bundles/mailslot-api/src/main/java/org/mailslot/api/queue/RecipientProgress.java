package org.mailslot.api.queue;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.Recipient;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.Waiting;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where one recipient of a queued message stands, as a store keeps it between attempts.
 *
 * @param recipient the recipient, with its DSN parameters, as in the envelope
 * @param status its delivery state
 * @param lastReply the reply or error of its last attempt, such as {@code 451 4.3.0 try later}
 * @param waiting what a {@link Status#DEFERRED deferred} recipient waits for; empty for any other
 * @param nextHopStatus present when a next hop's 4xx reply deferred the recipient: that reply's
 *     enhanced status code ({@code 4.2.1}), or the empty string when the reply had none (the delay
 *     notice reports it)
 * @param delayNoticed whether the sender was told that this recipient's mail is delayed (once is enough)
 */
@ProviderType
public record RecipientProgress(Recipient recipient, Status status, Optional<String> lastReply,
        Optional<Waiting> waiting, Optional<String> nextHopStatus, boolean delayNoticed) {

    public RecipientProgress {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastReply, "lastReply");
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(nextHopStatus, "nextHopStatus");
    }

    /** @return a recipient not yet attempted */
    public static RecipientProgress pending(Recipient recipient) {
        return new RecipientProgress(recipient, Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty(),
                false);
    }
}
