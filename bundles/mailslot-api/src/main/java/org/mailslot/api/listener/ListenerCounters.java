package org.mailslot.api.listener;

import java.util.Objects;

/**
 * What one listener counted since it started, for monitoring: each is a {@code LongAdder}
 * increment on the session's path.
 *
 * @param name the listener's name, as in {@link ListenerStatus#name()}
 * @param authFailures AUTH attempts the realm refused
 * @param tlsHandshakes TLS handshakes that completed (implicit TLS and STARTTLS)
 * @param tlsHandshakeFailures TLS handshakes that failed
 */
public record ListenerCounters(String name, long authFailures, long tlsHandshakes, long tlsHandshakeFailures) {

    public ListenerCounters {
        Objects.requireNonNull(name, "name");
    }
}
