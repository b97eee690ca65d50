package org.mailslot.transport.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

/**
 * The port strategies in the registry, by port: the highest {@code service.ranking} wins, the
 * earlier registration among equals (as the framework orders services). Thread-safe.
 *
 * <p>A port without any strategy is treated as {@link TlsMode#STARTTLS_REQUIRED} with AUTH
 * optional: fail closed, so that a missing or stopped strategy bundle never turns a port into a
 * cleartext one.
 */
public final class PortStrategies {

    private final Map<Integer, ConcurrentSkipListSet<Entry>> byPort = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private record Entry(PortStrategy strategy, int ranking, long order) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::order);

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

    /**
     * @param port a port
     * @return the winning strategy for the port, or the fail-closed default
     */
    public PortStrategy forPort(int port) {
        ConcurrentSkipListSet<Entry> entries = byPort.get(port);
        if (entries != null) {
            // A stream, not first(): the set may empty between a check and the call.
            return entries.stream().findFirst().map(Entry::strategy).orElseGet(() -> failClosed(port));
        }
        return failClosed(port);
    }

    /**
     * @return the strategy used for a port no service describes: STARTTLS required, AUTH after
     *     TLS allowed
     */
    public static PortStrategy failClosed(int port) {
        return PortStrategy.of(port, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.OPTIONAL);
    }
}
