package org.mailslot.api.spool;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the spool's deliveries came to since it started, by route, for monitoring. The spool counts
 * as it delivers (an increment per recipient and attempt, no lock); this hands out a snapshot.
 *
 * <p><b>Lifecycle.</b> Registered by the spool implementation next to {@link MailQueue}.
 *
 * <p><b>Threading.</b> Thread-safe; the figures of one route may be a few increments apart.
 */
@ProviderType
public interface DeliveryStatistics {

    /** The upper bounds of the attempt latency buckets, ascending; a last, unbounded bucket follows. */
    List<Duration> ATTEMPT_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300));

    /** The route name {@link #routes()} uses for delivery into local Maildirs. */
    String LOCAL_ROUTE = "local";

    /** @return every route something was delivered, deferred or bounced on, ordered by name */
    List<RouteStatistics> routes();

    /** @return the destinations whose deliveries are suspended now, with why, e.g. after a next hop did not answer */
    List<String> suspendedDestinations();

    /**
     * The figures of one route.
     *
     * @param route the route's name ({@link org.mailslot.api.transport.Route#name()}, or {@link #LOCAL_ROUTE})
     * @param delivered recipients delivered
     * @param deferred recipient attempts that failed temporarily
     * @param bounced recipients that failed permanently
     * @param attemptBuckets attempts per latency bucket, not cumulative: one more entry than {@link #ATTEMPT_BUCKETS}
     * @param attemptTime the time every attempt took together
     */
    @ProviderType
    record RouteStatistics(String route, long delivered, long deferred, long bounced, List<Long> attemptBuckets,
            Duration attemptTime) {

        public RouteStatistics {
            java.util.Objects.requireNonNull(route, "route");
            attemptBuckets = List.copyOf(attemptBuckets);
            java.util.Objects.requireNonNull(attemptTime, "attemptTime");
            if (attemptBuckets.size() != ATTEMPT_BUCKETS.size() + 1) {
                throw new IllegalArgumentException("attemptBuckets needs " + (ATTEMPT_BUCKETS.size() + 1) + " entries");
            }
        }

        /** @return the number of attempts */
        public long attempts() {
            return attemptBuckets.stream().mapToLong(Long::longValue).sum();
        }
    }
}
