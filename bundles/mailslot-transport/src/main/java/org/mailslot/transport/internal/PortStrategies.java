package org.mailslot.transport.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.port.TlsMode;

/**
 * The port strategies as the delivery client and the prober use them: a port without any
 * strategy is treated as {@link TlsMode#STARTTLS_REQUIRED} with AUTH optional, so that a missing
 * or stopped strategy bundle never turns a port into a cleartext one. Thread-safe.
 */
public final class PortStrategies {

    private final PortStrategyTable table = new PortStrategyTable();
    // One instance per port, so that "the strategy a connection was opened under is still the one
    // in force" is an identity check for ports without a strategy too.
    private final Map<Integer, PortStrategy> failClosed = new ConcurrentHashMap<>();

    public void add(PortStrategy strategy, Map<String, ?> serviceProperties) {
        table.add(strategy, serviceProperties);
    }

    public void add(PortStrategy strategy, int ranking) {
        table.add(strategy, ranking);
    }

    public void remove(PortStrategy strategy) {
        table.remove(strategy);
    }

    /** A strategy's service properties changed: its {@code service.ranking} may now rank it differently. */
    public void update(PortStrategy strategy, Map<String, ?> serviceProperties) {
        table.remove(strategy);
        table.add(strategy, serviceProperties);
    }

    /**
     * @return the winning strategy for the port, or the fail-closed default (the same instance
     *     for the port every time, as long as no strategy is registered for it)
     */
    public PortStrategy forPort(int port) {
        return table.forPort(port).orElseGet(() -> failClosed.computeIfAbsent(port, PortStrategies::failClosed));
    }

    /** @return the strategy used for a port no service describes */
    public static PortStrategy failClosed(int port) {
        return PortStrategy.of(port, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.OPTIONAL);
    }
}
