package org.mailslot.api.queue;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which of the scheduler's worker pools a message waits for. A store keeps the due messages of each
 * lane apart ({@link QueueStore#take}), so that a lane whose workers are all busy never holds up the
 * other; the scheduler says which lane a message belongs in ({@link QueueConsumer#laneOf}).
 */
@ProviderType
public enum Lane {
    /** A recipient in a local domain is pending: delivered into local mailboxes first, by workers of their own. */
    LOCAL,
    /** Only recipients in other domains are pending: delivered through the transport. */
    REMOTE
}
