package org.mailslot.metrics.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;

/**
 * {@code mailslot_delivery_attempt_seconds}: the spool's attempt latencies by route, a classic
 * Prometheus histogram over the buckets the spool counts in. Micrometer's own timers would need
 * the spool to record into this bundle; the spool keeps its buckets itself and this only reads them.
 */
final class AttemptHistogram implements Collector {

    static final String NAME = "mailslot_delivery_attempt_seconds";
    private static final double[] BOUNDS = bounds();

    private final Supplier<Snapshot> latest;

    AttemptHistogram(Supplier<Snapshot> latest) {
        this.latest = latest;
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(NAME)
                .help("Time a delivery attempt over a route took, connection to last reply");
        for (RouteStatistics route : latest.get().routes()) {
            List<Long> buckets = route.attemptBuckets();
            long[] counts = buckets.stream().mapToLong(Long::longValue).toArray();
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, counts))
                    .sum(route.attemptTime().toNanos() / 1e9)
                    .labels(Labels.of("route", route.route())).build());
        }
        return histogram.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    private static double[] bounds() {
        List<Duration> buckets = DeliveryStatistics.ATTEMPT_BUCKETS;
        double[] bounds = new double[buckets.size() + 1];
        for (int i = 0; i < buckets.size(); i++) {
            bounds[i] = buckets.get(i).toNanos() / 1e9;
        }
        bounds[buckets.size()] = Double.POSITIVE_INFINITY;
        return bounds;
    }
}
