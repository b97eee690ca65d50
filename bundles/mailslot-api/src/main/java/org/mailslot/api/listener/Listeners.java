package org.mailslot.api.listener;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The configured SMTP listeners ({@code org.mailslot.listener~NAME} factory configurations) and
 * their state.
 *
 * <p><b>Lifecycle.</b> Registered while the SMTP server bundle is active; a listener appears as
 * soon as its configuration is active, also while it is waiting for a port strategy.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking; the answer is a snapshot.
 */
@ProviderType
public interface Listeners {

    /** @return every listener, ordered by name */
    List<ListenerStatus> listeners();

    /** @return every listener's counters, ordered by name; empty where an implementation does not count */
    default List<ListenerCounters> counters() {
        return List.of();
    }
}
