package org.mailslot.spool.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** How many deliveries may be under way at once to one destination (a relay route, an MX domain). */
final class DestinationLimits {

    private final int perDestination;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    DestinationLimits(int perDestination) {
        this.perDestination = perDestination;
    }

    /** @return true if a delivery may start now; then {@link #release} must follow */
    boolean tryAcquire(String destination) {
        return permits.computeIfAbsent(destination, d -> new Semaphore(perDestination)).tryAcquire();
    }

    void release(String destination) {
        permits.get(destination).release();
    }
}
