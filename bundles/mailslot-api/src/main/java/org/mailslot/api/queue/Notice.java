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
 */
@ProviderType
public record Notice(Envelope envelope, MessageSource message) {

    public Notice {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
    }
}
