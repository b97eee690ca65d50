package org.mailslot.api.retrieval;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One account as {@code mailslot:accounts} shows it. Immutable.
 *
 * @param name the configuration name
 * @param protocol {@code imap} or {@code pop3}
 * @param server {@code host:port}
 * @param state where the account is in its life
 * @param lastSync the end of the last successful synchronisation, if any
 * @param retrieved messages stored locally since start
 * @param pending messages stored but not yet handed to every handler
 * @param lastError the last error, one line, if any; also what was left undone on purpose (an
 *     expunge withheld, a hand-off waiting for a required inbound stage)
 */
@ProviderType
public record AccountStatus(String name, String protocol, String server, AccountState state, Optional<Instant> lastSync,
        long retrieved, long pending, Optional<String> lastError) {

    public AccountStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastSync, "lastSync");
        Objects.requireNonNull(lastError, "lastError");
    }
}
