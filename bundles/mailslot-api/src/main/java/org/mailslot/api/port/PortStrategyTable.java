package org.mailslot.api.port;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The port strategies in force, for code that tracks {@link PortStrategy} services (a DS
 * dynamic multiple reference feeds {@link #add} and {@link #remove}): for each port, the
 * strategy with the highest {@code service.ranking}, the earlier registration among equals.
 *
 * <p>Thread-safe; lookups do not block. What a consumer does for a port without any strategy is
 * its own decision, and must fail closed: the delivery client treats it as STARTTLS required, a
 * listener does not bind.
 */
@ProviderType
public final class PortStrategyTable {

    private record Entry(PortStrategy strategy, int ranking, long order) {
    }

    private static final Comparator<Entry> BEST_FIRST =
            Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::order);

    private final Map<Integer, ConcurrentSkipListSet<Entry>> byPort = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param strategy a strategy service
     * @param serviceProperties its service properties, for {@code service.ranking}
     */
    public void add(PortStrategy strategy, Map<String, ?> serviceProperties) {
        add(strategy, serviceProperties.get("service.ranking") instanceof Integer ranking ? ranking : 0);
    }

    /**
     * @param strategy a strategy service
     * @param ranking its {@code service.ranking}
     */
    public void add(PortStrategy strategy, int ranking) {
        Objects.requireNonNull(strategy, "strategy");
        byPort.computeIfAbsent(strategy.port(), port -> new ConcurrentSkipListSet<>(BEST_FIRST))
                .add(new Entry(strategy, ranking, sequence.incrementAndGet()));
    }

    /** @param strategy a strategy service that went away */
    public void remove(PortStrategy strategy) {
        ConcurrentSkipListSet<Entry> entries = byPort.get(strategy.port());
        if (entries != null) {
            entries.removeIf(entry -> entry.strategy() == strategy);
        }
    }

    /** @return the strategy in force for the port, if any is registered */
    public Optional<PortStrategy> forPort(int port) {
        ConcurrentSkipListSet<Entry> entries = byPort.get(port);
        // A stream, not first(): the set may empty between a check and the call.
        return entries == null ? Optional.empty() : entries.stream().findFirst().map(Entry::strategy);
    }
}
