package org.mailslot.dkim.internal;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps answers for their TTL, clamped to [{@link #MIN_TTL}, {@link #MAX_TTL}] seconds; missing
 * keys for {@link #NEGATIVE_TTL}; failures not at all, so that the next message asks again. At most
 * {@link #MAX_ENTRIES} names are kept (the cache is emptied when full). Thread-safe.
 */
final class CachingKeyLookup implements KeyLookup {

    static final long MIN_TTL = 60;
    static final long MAX_TTL = 3600;
    static final long NEGATIVE_TTL = 300;
    static final int MAX_ENTRIES = 10_000;

    private record Entry(KeyAnswer answer, long expiresAtMillis) {
    }

    private final KeyLookup delegate;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    CachingKeyLookup(KeyLookup delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public KeyAnswer lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAtMillis() > now) {
            return entry.answer();
        }
        KeyAnswer answer = delegate.lookup(name);
        long ttl = switch (answer.kind()) {
            case FOUND -> Math.max(MIN_TTL, Math.min(MAX_TTL, answer.ttlSeconds()));
            case MISSING -> NEGATIVE_TTL;
            case FAILED -> 0;
        };
        if (ttl > 0) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry(answer, now + ttl * 1000));
        } else {
            entries.remove(key);
        }
        return answer;
    }

    /** Forgets everything, e.g. after a key was published. */
    void clear() {
        entries.clear();
    }

    @Override
    public String toString() {
        return delegate + ", cached";
    }
}
