package org.mailslot.api.listener;

import org.osgi.annotation.versioning.ProviderType;

/** Where a listener is in its life. */
@ProviderType
public enum ListenerState {
    /** Accepting connections. */
    BOUND,
    /** Not bound, waiting for something it needs (its port strategy); {@link ListenerStatus#detail()} says what. */
    WAITING,
    /** Binding failed (address in use, no permission); {@link ListenerStatus#detail()} says why. */
    FAILED,
    /** No longer accepting; letting sessions finish before it goes away. */
    CLOSING;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
