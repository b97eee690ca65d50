package org.mailslot.api.spool;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A snapshot of one message in the spool.
 *
 * @param id the spool's identifier, as in the {@link org.mailslot.api.submission.SubmissionReceipt}
 * @param sender the reverse path; empty for the null reverse path (a bounce)
 * @param recipients every recipient of the envelope with its state, in envelope order
 * @param size the message size in octets
 * @param acceptedAt when the spool accepted the message
 * @param attempts how many delivery attempts were made
 * @param nextAttempt when the next attempt is due; empty while one is under way or when held
 * @param lastError why the last attempt did not finish the message, if it did not
 * @param held whether an operator holds the message
 * @param waiting what the message waits for now: {@link WaitReason#HELD_BY_OPERATOR} while held, else
 *     why its last attempt did not finish it (whose detail is {@code lastError}); empty if nothing
 */
@ProviderType
public record QueueEntry(String id, Optional<MailAddress> sender, List<RecipientState> recipients, long size,
        Instant acceptedAt, int attempts, Optional<Instant> nextAttempt, Optional<String> lastError, boolean held,
        Optional<Waiting> waiting) {

    /** An entry from a store that keeps no typed reason: a held one waits for the operator, any other for {@code lastError}. */
    public QueueEntry(String id, Optional<MailAddress> sender, List<RecipientState> recipients, long size,
            Instant acceptedAt, int attempts, Optional<Instant> nextAttempt, Optional<String> lastError, boolean held) {
        this(id, sender, recipients, size, acceptedAt, attempts, nextAttempt, lastError, held,
                held ? Optional.of(new Waiting(WaitReason.HELD_BY_OPERATOR, lastError.orElse("held")))
                        : lastError.map(error -> new Waiting(WaitReason.UNSPECIFIED, error)));
    }

    public QueueEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(waiting, "waiting");
    }
}
