package org.mailslot.api.queue;

import java.util.Objects;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A message an attempt causes, to be enqueued with its outcome: a delivery status notification to
 * the sender (RFC 3464), which is delivered like any other message.
 *
 * @param envelope its envelope (the null reverse path, the original sender as recipient)
 * @param message its octets, RFC 5322 with CRLF line endings; the store reads them once or more
 *     while it finishes the attempt, and not after
 * @param kind what it tells the sender, for the store's log line of the queued notice
 */
@ProviderType
public record Notice(Envelope envelope, MessageSource message, Kind kind) {

    /** What a notice tells the sender (RFC 3464's actions, as Postfix's bounce(8) names them). */
    @ProviderType
    public enum Kind {
        /** Delivery failed for some recipients. */
        NON_DELIVERY,
        /** Delivery is delayed and still being tried. */
        DELAY,
        /** Delivered or relayed, where the sender asked to hear it. */
        SUCCESS
    }

    public Notice {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
    }
}
