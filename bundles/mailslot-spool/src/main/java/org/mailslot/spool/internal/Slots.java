package org.mailslot.spool.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code per.destination} slots one attempt holds: taken when it is planned, before the outbound
 * pipeline runs, so that no attempt signs or transforms a message and then finds its destination
 * taken; each released after the attempt's last delivery to its destination, and what is left when
 * the attempt ends. Used by one worker at a time (a local one, then a remote one).
 */
final class Slots {

    private final Destinations destinations;
    /** Called when a release frees a slot that another attempt found taken. */
    private final Runnable contended;
    private final Set<String> held = new HashSet<>();

    Slots(Destinations destinations, Runnable contended) {
        this.destinations = destinations;
        this.contended = contended;
    }

    /** @return whether the attempt holds the destination's slot, taking it now if it can */
    synchronized boolean take(String destination) {
        return held.contains(destination) || destinations.tryAcquire(destination) && held.add(destination);
    }

    /** Gives the destination's slot back, if the attempt holds it. */
    void release(String destination) {
        boolean wake;
        synchronized (this) {
            wake = held.remove(destination) && destinations.release(destination);
        }
        if (wake) {
            contended.run();
        }
    }

    /** Gives back every slot the attempt holds but the destination's. */
    void keepOnly(String destination) {
        List<String> others;
        synchronized (this) {
            others = held.stream().filter(key -> !key.equals(destination)).toList();
        }
        others.forEach(this::release);
    }

    /** Gives back every slot the attempt holds. */
    void releaseAll() {
        List<String> all;
        synchronized (this) {
            all = List.copyOf(held);
        }
        all.forEach(this::release);
    }
}
