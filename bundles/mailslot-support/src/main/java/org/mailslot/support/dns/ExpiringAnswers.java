package org.mailslot.support.dns;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNS answers kept until they expire, each for the time its user gives; at most {@link #MAX_ENTRIES}
 * (all are dropped when full, so that a stream of new names cannot grow it). Thread-safe.
 *
 * @param <K> what an answer is kept under (a name and a type)
 * @param <V> the answer
 */
public final class ExpiringAnswers<K, V> {

    static final int MAX_ENTRIES = 50_000;

    private record Entry<V>(V answer, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    /** @return the answer kept under the key, if it has not expired by {@code nowMillis} */
    public Optional<V> get(K key, long nowMillis) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.expiresAtMillis() > nowMillis ? Optional.of(entry.answer()) : Optional.empty();
    }

    /** @param ttlSeconds how long to keep it; 0 or less: not kept (and an older answer under the key dropped) */
    public void put(K key, V answer, long nowMillis, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            entries.remove(key);
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry<>(answer, nowMillis + ttlSeconds * 1000));
    }
}
