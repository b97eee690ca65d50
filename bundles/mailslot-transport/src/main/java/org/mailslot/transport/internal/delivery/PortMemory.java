package org.mailslot.transport.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per route (and per MX host), the port that last carried a message, for a while:
 * the next delivery tries it first and the configured order after it, so a route whose first
 * port is blocked does not wait for that port's timeout on every message. Thread-safe.
 */
final class PortMemory {

    private record Remembered(int port, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Remembered> ports = new ConcurrentHashMap<>();

    PortMemory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param key the route, or route and MX host
     * @param configured the ports in configured order
     * @return the ports to try, the remembered one first if it is still fresh
     */
    List<Integer> order(String key, List<Integer> configured) {
        Remembered remembered = ports.get(key);
        if (remembered == null) {
            return configured;
        }
        if (!clock.instant().isBefore(remembered.until()) || !configured.contains(remembered.port())) {
            ports.remove(key, remembered);
            return configured;
        }
        List<Integer> order = new ArrayList<>(configured.size());
        order.add(remembered.port());
        for (int port : configured) {
            if (port != remembered.port()) {
                order.add(port);
            }
        }
        return order;
    }

    void remember(String key, int port, Duration howLong) {
        if (howLong.isZero() || howLong.isNegative()) {
            ports.remove(key);
            return;
        }
        ports.put(key, new Remembered(port, clock.instant().plus(howLong)));
    }

    void forget(String key, int port) {
        ports.computeIfPresent(key, (k, remembered) -> remembered.port() == port ? null : remembered);
    }

    void forgetRoute(String route) {
        ports.keySet().removeIf(key -> key.equals(route) || key.startsWith(route + "/"));
    }
}
