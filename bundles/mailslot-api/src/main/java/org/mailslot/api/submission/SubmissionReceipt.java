package org.mailslot.api.submission;

import java.time.Instant;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Proof that a message was durably accepted.
 *
 * @param id the spool's identifier for the message, as shown by {@code mailslot:queue}
 * @param acceptedAt when the message became durable
 * @param size the stored message size in octets
 */
@ProviderType
public record SubmissionReceipt(String id, Instant acceptedAt, long size) {

    public SubmissionReceipt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
