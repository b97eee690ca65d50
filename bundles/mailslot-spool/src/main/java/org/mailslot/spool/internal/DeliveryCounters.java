package org.mailslot.spool.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;
import org.mailslot.api.spool.RecipientState.Status;

/** The spool's delivery figures by route: a LongAdder increment per recipient and attempt, nothing else. */
final class DeliveryCounters {

    private static final long[] BOUNDS_NANOS = DeliveryStatistics.ATTEMPT_BUCKETS.stream().mapToLong(Duration::toNanos).toArray();

    private static final class Route {
        final LongAdder delivered = new LongAdder();
        final LongAdder deferred = new LongAdder();
        final LongAdder bounced = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
        final LongAdder nanos = new LongAdder();

        Route(String name) {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

    void outcome(String route, Status status) {
        Route counters = routes.computeIfAbsent(route, Route::new);
        switch (status) {
            case DELIVERED -> counters.delivered.increment();
            case DEFERRED -> counters.deferred.increment();
            case FAILED -> counters.bounced.increment();
            case PENDING -> {
            }
        }
    }

    void attempt(String route, long nanos) {
        Route counters = routes.computeIfAbsent(route, Route::new);
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        counters.buckets[bucket].increment();
        counters.nanos.add(nanos);
    }

    List<RouteStatistics> snapshot() {
        List<RouteStatistics> snapshot = new ArrayList<>();
        routes.forEach((name, counters) -> {
            List<Long> buckets = new ArrayList<>();
            for (LongAdder bucket : counters.buckets) {
                buckets.add(bucket.sum());
            }
            snapshot.add(new RouteStatistics(name, counters.delivered.sum(), counters.deferred.sum(), counters.bounced.sum(),
                    buckets, Duration.ofNanos(counters.nanos.sum())));
        });
        snapshot.sort(Comparator.comparing(RouteStatistics::route));
        return snapshot;
    }
}
