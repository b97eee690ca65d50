package org.mailslot.metrics.internal;

import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;

/**
 * What a message in the spool waits for, as a small fixed set a metric can carry as a label. The
 * status page and {@code mailslot:status} show the full text; this is its kind.
 */
enum WaitReason {
    /** An operator holds it. */
    HELD("held"),
    /** Its last attempt stopped at a missing service, key or local condition (the spool's last error). */
    WAITING("waiting"),
    /** The next hop deferred it with a temporary reply. */
    DEFERRED("deferred"),
    /** Not attempted yet, or an attempt is under way. */
    PENDING("pending");

    private final String label;

    WaitReason(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static WaitReason of(QueueEntry entry) {
        if (entry.held()) {
            return HELD;
        }
        if (entry.lastError().isPresent()) {
            return WAITING;
        }
        boolean deferred = entry.recipients().stream().anyMatch(r -> r.status() == RecipientState.Status.DEFERRED);
        return deferred ? DEFERRED : PENDING;
    }
}
