package org.mailslot.support.dns;

import java.time.Clock;
import java.util.Optional;

/**
 * Keeps answers for their TTL, clamped to [{@link #MIN_TTL}, {@link #MAX_TTL}] seconds; NXDOMAIN and
 * empty answers for {@link #NEGATIVE_TTL}; failures not at all, so that the next message asks again.
 * At most {@link ExpiringAnswers#MAX_ENTRIES} answers are kept (the cache is emptied when full). Thread-safe.
 */
public final class CachingDnsQuery implements DnsQuery {

    static final long MIN_TTL = 60;
    static final long MAX_TTL = 3600;
    static final long NEGATIVE_TTL = 300;

    private record Key(String name, int type) {
    }

    private final DnsQuery delegate;
    private final Clock clock;
    private final ExpiringAnswers<Key, DnsAnswer> entries = new ExpiringAnswers<>();

    public CachingDnsQuery(DnsQuery delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public DnsAnswer query(String name, int type) {
        Key key = new Key(DnsAnswer.normalize(name), type);
        long now = clock.millis();
        Optional<DnsAnswer> kept = entries.get(key, now);
        if (kept.isPresent()) {
            return kept.get();
        }
        DnsAnswer answer = delegate.query(name, type);
        long ttl = switch (answer.kind()) {
            case FOUND -> Math.max(MIN_TTL, Math.min(MAX_TTL, answer.ttlSeconds()));
            case NXDOMAIN, NODATA -> NEGATIVE_TTL;
            case FAILED -> 0;
        };
        entries.put(key, answer, now, ttl);
        return answer;
    }

    @Override
    public String toString() {
        return delegate + ", cached";
    }
}
