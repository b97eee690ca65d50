package org.mailslot.api.listener;

import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What one listener counted since it started, for monitoring: each is a {@code LongAdder}
 * increment on the session's path.
 *
 * @param name the listener's name, as in {@link ListenerStatus#name()}
 * @param authFailures AUTH attempts the realm refused
 * @param tlsHandshakes TLS handshakes that completed (implicit TLS and STARTTLS)
 * @param tlsHandshakeFailures TLS handshakes that failed
 * @param refusals the 4xx and 5xx replies sent, by reply code (such as {@code 550} or {@code 421}), only the codes sent
 */
@ProviderType
public record ListenerCounters(String name, long authFailures, long tlsHandshakes, long tlsHandshakeFailures,
        Map<Integer, Long> refusals) {

    public ListenerCounters {
        Objects.requireNonNull(name, "name");
        refusals = Map.copyOf(refusals);
    }
}
