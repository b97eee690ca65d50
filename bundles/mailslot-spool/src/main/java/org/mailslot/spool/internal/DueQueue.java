package org.mailslot.spool.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The spooled messages in the order they fall due, so that finding the next one to deliver costs
 * a logarithm of the spool's depth and not a scan of it: with a backlog of deferred messages, a
 * scan per delivery made every delivery slower than the last.
 *
 * <p>Each message is in the queue at most once, under the time it was put with; whoever changes a
 * message's next attempt puts it again. Thread-safe.
 */
final class DueQueue {

    private record Key(Instant due, SpoolEntry entry) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::due)
            .thenComparing(key -> key.entry().received).thenComparing(key -> key.entry().id);

    private final TreeSet<Key> byDue = new TreeSet<>(ORDER);
    private final Map<String, Key> keys = new HashMap<>();

    /** Puts the entry under its next attempt, replacing where it was. */
    synchronized void put(SpoolEntry entry) {
        remove(entry);
        Key key = new Key(entry.nextAttempt(), entry);
        keys.put(entry.id, key);
        byDue.add(key);
    }

    synchronized void remove(SpoolEntry entry) {
        Key old = keys.remove(entry.id);
        if (old != null) {
            byDue.remove(old);
        }
    }

    /** @return the entry that fell due first, taken out of the queue, if one is due at {@code now} */
    synchronized Optional<SpoolEntry> takeDue(Instant now) {
        if (byDue.isEmpty() || byDue.first().due().isAfter(now)) {
            return Optional.empty();
        }
        Key first = byDue.pollFirst();
        keys.remove(first.entry().id);
        return Optional.of(first.entry());
    }

    /** @return whether an entry is due at {@code now} */
    synchronized boolean anyDue(Instant now) {
        return !byDue.isEmpty() && !byDue.first().due().isAfter(now);
    }

    synchronized int size() {
        return keys.size();
    }
}
