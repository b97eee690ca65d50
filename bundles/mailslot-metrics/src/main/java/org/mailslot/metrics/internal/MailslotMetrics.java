package org.mailslot.metrics.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.mailslot.api.crypto.CryptoStatistics;
import org.mailslot.api.listener.Listeners;
import org.mailslot.api.retrieval.Accounts;
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.tls.TlsService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the running services into a {@link Snapshot} for the Prometheus registry, the MBeans and
 * the status page, and keeps an hour of samples. A snapshot is read at a scrape, a page view and an
 * MBean read (at most once per {@link #SAMPLE_SECONDS} seconds), never on a mail path: the services it
 * reads keep their own counters. The samples, every {@link #SAMPLE_SECONDS} seconds, read only the
 * queue's depth and the counters: listing the queue costs what the queue holds (with the queue on a
 * broker, a listing through the broker's management), which nobody need pay while nobody looks.
 */
@Component(service = MailslotMetrics.class, immediate = true)
public class MailslotMetrics {

    static final int SAMPLE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(MailslotMetrics.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MailQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DeliveryStatistics delivery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Listeners listeners;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Accounts accounts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TlsService tls;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CryptoStatistics crypto;

    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Snapshot> latest = new AtomicReference<>(Snapshot.empty(Instant.EPOCH));
    private final History history = new History();
    private PrometheusMeters meters;
    private MBeans mbeans;
    private ScheduledExecutorService sampler;

    @Activate
    void activate() {
        meters = new PrometheusMeters(latest::get);
        mbeans = MBeans.register(this::recent);
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mailslot-metrics-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
        mbeans.unregister();
        meters.close();
    }

    /** @return what the services say now; also updates the meters */
    Snapshot refresh() {
        MailQueue currentQueue = queue;
        Listeners currentListeners = listeners;
        Accounts currentAccounts = accounts;
        TlsService currentTls = tls;
        DeliveryStatistics currentDelivery = delivery;
        CryptoStatistics currentCrypto = crypto;
        Instant now = clock.instant();
        Snapshot snapshot = new Snapshot(now,
                currentQueue == null ? Optional.empty() : Optional.of(QueueFigures.of(currentQueue.list(), now)),
                currentListeners == null ? List.of() : currentListeners.listeners(),
                currentListeners == null ? List.of() : currentListeners.counters(),
                currentAccounts == null ? List.of() : currentAccounts.list(),
                currentTls == null ? Optional.empty() : Optional.of(currentTls.status()),
                currentDelivery == null ? List.of() : currentDelivery.routes(),
                currentDelivery == null ? List.of() : currentDelivery.suspendedDestinations(),
                currentCrypto == null ? List.of() : currentCrypto.figures());
        latest.set(snapshot);
        meters.update(snapshot);
        return snapshot;
    }

    /** @return the latest snapshot, read again if it is older than a sample's interval */
    Snapshot recent() {
        Snapshot snapshot = latest.get();
        return snapshot.at().isBefore(clock.instant().minusSeconds(SAMPLE_SECONDS)) ? refresh() : snapshot;
    }

    /** @return the Prometheus exposition of every meter, read now */
    String scrape() {
        refresh();
        return meters.scrape();
    }

    List<History.Sample> history() {
        return history.samples();
    }

    void sample() {
        MailQueue currentQueue = queue;
        Listeners currentListeners = listeners;
        DeliveryStatistics currentDelivery = delivery;
        try {
            history.add(new History.Sample(clock.instant(), currentQueue == null ? -1 : currentQueue.depth(),
                    currentListeners == null ? 0 : Snapshot.messagesAccepted(currentListeners.listeners()),
                    currentDelivery == null ? 0 : Snapshot.delivered(currentDelivery.routes())));
        } catch (RuntimeException e) {
            LOG.warn("Could not sample the Mailslot services for the status page: {}", e.toString());
        }
    }
}
