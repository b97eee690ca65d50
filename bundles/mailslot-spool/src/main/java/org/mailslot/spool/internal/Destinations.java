package org.mailslot.spool.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scheduler knows of each destination (a relay route, an MX domain): how many deliveries
 * may be under way to it at once, and whether it is suspended because it did not answer. As
 * Postfix's queue manager does with a dead site, mail for a suspended destination is deferred
 * without a connection attempt until the suspension ends, instead of every message finding out
 * for itself.
 */
final class Destinations {

    /** A deferral for a suspended destination says this, then why. */
    static final String SUSPENDED = "4.4.1 delivery temporarily suspended: ";

    /** One deferral text per suspension: every message it defers keeps the same instance. */
    private record Suspension(Instant until, String deferral) {
    }

    private final int perDestination;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Map<String, Suspension> suspended = new ConcurrentHashMap<>();
    private final AtomicLong releases = new AtomicLong();
    private final AtomicBoolean contended = new AtomicBoolean();

    Destinations(int perDestination) {
        this.perDestination = perDestination;
    }

    /** @return true if a delivery may start now; then {@link #release} must follow */
    boolean tryAcquire(String destination) {
        if (permits.computeIfAbsent(destination, d -> new Semaphore(perDestination)).tryAcquire()) {
            return true;
        }
        contended.set(true);
        return false;
    }

    /**
     * @return whether an attempt found a destination's slots taken since the last release that said so: then
     *     messages may wait for this one, and the dispatcher should look
     */
    boolean release(String destination) {
        permits.get(destination).release();
        releases.incrementAndGet();
        return contended.getAndSet(false);
    }

    /** @return how many deliveries have ended so far: an attempt that found every destination busy compares */
    long releases() {
        return releases.get();
    }

    /** Defers the destination's mail without attempts until {@code until}, for the reason given. */
    void suspend(String destination, Instant until, String reason) {
        suspended.put(destination, new Suspension(until, SUSPENDED + reason));
    }

    /** @return the deferral for the destination's mail at {@code now}, or empty if mail may be tried */
    Optional<String> suspension(String destination, Instant now) {
        Suspension suspension = suspended.get(destination);
        if (suspension == null) {
            return Optional.empty();
        }
        if (!now.isBefore(suspension.until())) {
            suspended.remove(destination, suspension);
            return Optional.empty();
        }
        return Optional.of(suspension.deferral());
    }

    /** @return each destination suspended at {@code now}, with its deferral, ordered by destination */
    java.util.List<String> suspended(Instant now) {
        return suspended.entrySet().stream().filter(e -> now.isBefore(e.getValue().until()))
                .map(e -> e.getKey() + ": " + e.getValue().deferral()).sorted().toList();
    }

    /** Ends every suspension: the operator flushed the queue, or the transport changed. */
    void resumeAll() {
        suspended.clear();
    }
}
