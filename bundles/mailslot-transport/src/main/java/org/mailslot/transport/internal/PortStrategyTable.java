package org.mailslot.transport.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.mailslot.api.port.PortStrategy;
import org.osgi.framework.ServiceReference;

/**
 * The port strategies in force: for each port, the registered strategy with the highest service
 * ranking (ties to the lowest service id, as the framework orders references). Components feed
 * it from a dynamic multiple reference; lookups are lock-free and may run on any thread.
 */
public final class PortStrategyTable {

    private final Map<ServiceReference<PortStrategy>, PortStrategy> strategies =
            new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a));

    public void add(ServiceReference<PortStrategy> reference, PortStrategy strategy) {
        strategies.put(reference, strategy);
    }

    public void remove(ServiceReference<PortStrategy> reference) {
        strategies.remove(reference);
    }

    /** @return the strategy in force for the port, if any is registered */
    public Optional<PortStrategy> forPort(int port) {
        return strategies.values().stream().filter(strategy -> strategy.port() == port).findFirst();
    }
}
