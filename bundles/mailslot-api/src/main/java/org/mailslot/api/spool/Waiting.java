package org.mailslot.api.spool;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Why a queued message (or one of its recipients) is not delivered yet.
 *
 * @param reason what it waits for
 * @param detail the same in words, one line, as an operator reads it (the last error of its last attempt)
 */
@ProviderType
public record Waiting(WaitReason reason, String detail) {

    public Waiting {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
