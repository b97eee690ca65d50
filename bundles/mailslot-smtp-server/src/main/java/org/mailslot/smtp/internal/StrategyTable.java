package org.mailslot.smtp.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.mailslot.api.port.PortStrategy;
import org.osgi.framework.ServiceReference;

/**
 * The port strategies registered: for a port, the one with the highest service ranking (ties to
 * the lowest service id, as ServiceReference orders them). Same rule as the transport's table.
 */
final class StrategyTable {

    private final Map<ServiceReference<PortStrategy>, PortStrategy> strategies =
            new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a));

    void add(ServiceReference<PortStrategy> reference, PortStrategy strategy) {
        strategies.put(reference, strategy);
    }

    void remove(ServiceReference<PortStrategy> reference) {
        strategies.remove(reference);
    }

    Optional<PortStrategy> forPort(int port) {
        return strategies.values().stream().filter(strategy -> strategy.port() == port).findFirst();
    }
}
