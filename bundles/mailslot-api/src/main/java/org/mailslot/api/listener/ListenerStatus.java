package org.mailslot.api.listener;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.port.TlsMode;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A snapshot of one listener.
 *
 * @param name the listener's name, the part after {@code ~} of its configuration PID
 * @param address the configured address to listen on
 * @param port the port it listens on (the bound port once bound, so {@code 0} becomes the real one)
 * @param strategyPort the port whose {@link org.mailslot.api.port.PortStrategy} governs the listener
 * @param tlsMode the TLS mode of that strategy, or empty while none is registered
 * @param state the state
 * @param detail one line for an operator: why it waits or failed, empty when bound
 * @param connections the client connections open now
 * @param messagesAccepted the messages accepted (answered 250 after DATA) since the listener started
 */
@ProviderType
public record ListenerStatus(String name, String address, int port, int strategyPort, Optional<TlsMode> tlsMode,
        ListenerState state, String detail, int connections, long messagesAccepted) {

    public ListenerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
