package org.mailslot.api.retrieval;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a retrieval account is in its life; {@link #toString()} is the lower-case name that
 * {@code mailslot:accounts} and the status page show.
 *
 * @since 2.0
 */
@ProviderType
public enum AccountState {
    /** Configured, not yet connected for the first time. */
    STARTING,
    /** Opening a connection and logging in. */
    CONNECTING,
    /** Connected and waiting in IMAP IDLE for the server to announce new mail. */
    IDLE,
    /** Connected (or between polls) and checking for new mail at the poll interval. */
    POLLING,
    /** Downloading messages. */
    FETCHING,
    /** The connection failed; reconnecting after a delay. */
    BACKOFF,
    /**
     * Server and configuration disagree (login refused, folder missing): retried after the
     * longest reconnect delay; {@link AccountStatus#lastError()} says why.
     */
    FAILED,
    /** The account was stopped and no longer retrieves. */
    STOPPED,
    /** The configuration cannot run; {@link AccountStatus#lastError()} says why. */
    INVALID;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
