package org.mailslot.support.dns;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps answers for their TTL, clamped to [{@link #MIN_TTL}, {@link #MAX_TTL}] seconds; NXDOMAIN and
 * empty answers for {@link #NEGATIVE_TTL}; failures not at all, so that the next message asks again.
 * At most {@link #MAX_ENTRIES} answers are kept (the cache is emptied when full). Thread-safe.
 */
public final class CachingDnsQuery implements DnsQuery {

    static final long MIN_TTL = 60;
    static final long MAX_TTL = 3600;
    static final long NEGATIVE_TTL = 300;
    static final int MAX_ENTRIES = 50_000;

    private record Key(String name, int type) {
    }

    private record Entry(DnsAnswer answer, long expiresAtMillis) {
    }

    private final DnsQuery delegate;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    public CachingDnsQuery(DnsQuery delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public DnsAnswer query(String name, int type) {
        Key key = new Key(DnsAnswer.normalize(name), type);
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAtMillis() > now) {
            return entry.answer();
        }
        DnsAnswer answer = delegate.query(name, type);
        long ttl = switch (answer.kind()) {
            case FOUND -> Math.max(MIN_TTL, Math.min(MAX_TTL, answer.ttlSeconds()));
            case NXDOMAIN, NODATA -> NEGATIVE_TTL;
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

    @Override
    public String toString() {
        return delegate + ", cached";
    }
}
