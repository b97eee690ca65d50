package org.mailslot.metrics.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.mailslot.api.crypto.CryptoStatistics;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;

/**
 * The Micrometer meters over the latest {@link Snapshot}, written in the Prometheus exposition
 * format. Every name starts {@code mailslot_}; a figure whose service does not run is absent (NaN
 * for the single gauges), never a made-up zero.
 */
final class PrometheusMeters implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Snapshot> latest;
    private final MultiGauge waiting;
    private final MultiGauge destinations;
    private final MultiGauge connections;
    private final MultiGauge pending;
    private final MultiGauge lastSync;
    private final MultiGauge failing;
    private final Map<String, Meter> refusals = new HashMap<>();
    private final Map<String, Meter> accepted = new HashMap<>();
    private final Map<String, Meter> retrieved = new HashMap<>();
    private final Map<String, List<Meter>> delivery = new HashMap<>();
    private final Map<String, List<Meter>> listenerCounters = new HashMap<>();

    PrometheusMeters(Supplier<Snapshot> latest) {
        this.latest = latest;
        gauge("mailslot.queue.depth", null, "Messages in the spool, finished or not",
                s -> s.queue().map(q -> (double) q.depth()).orElse(Double.NaN));
        gauge("mailslot.queue.oldest.message.age", "seconds", "How long the oldest message has been in the spool",
                s -> s.queue().flatMap(QueueFigures::oldestAge).map(age -> age.toMillis() / 1000.0).orElse(s.queue().isPresent() ? 0 : Double.NaN));
        gauge("mailslot.tls.identity.expiry.timestamp", "seconds", "When the server's TLS certificate stops being valid, Unix time",
                s -> identity(s).map(id -> (double) id.notAfter().getEpochSecond()).orElse(Double.NaN));
        gauge("mailslot.tls.identity.remaining", "seconds", "Time left until the server's TLS certificate expires",
                s -> identity(s).map(id -> (double) Duration.between(s.at(), id.notAfter()).toSeconds()).orElse(Double.NaN));
        gauge("mailslot.delivery.suspended.destinations", null, "Destinations whose delivery is suspended now",
                s -> s.suspended().size());
        registry.getPrometheusRegistry().register(new AttemptHistogram(latest));
        for (CryptoTechnology technology : CryptoTechnology.values()) {
            cryptoCounter(technology, "protect", "done", CryptoStatistics.Figures::protectedMessages);
            cryptoCounter(technology, "protect", "failed", CryptoStatistics.Figures::protectFailures);
            cryptoCounter(technology, "open", "done", CryptoStatistics.Figures::opened);
            cryptoCounter(technology, "open", "failed", CryptoStatistics.Figures::openFailures);
        }
        waiting = multi("mailslot.queue.waiting", null, "Unfinished messages in the spool by what they wait for");
        destinations = multi("mailslot.queue.destination.recipients", null, "Unfinished recipients in the spool by domain");
        connections = multi("mailslot.listener.connections", null, "Client connections a listener has open now");
        pending = multi("mailslot.account.pending", null, "Messages retrieved but not yet handed to every handler");
        lastSync = multi("mailslot.account.last.sync.timestamp", "seconds", "End of an account's last successful synchronisation, Unix time");
        failing = multi("mailslot.account.failing", null, "1 while an account's last synchronisation reported an error");
    }

    synchronized void update(Snapshot snapshot) {
        deliveryCounters(snapshot.routes().stream().map(RouteStatistics::route).toList());
        listenerCounters(snapshot.listenerCounters().stream().map(ListenerCounters::name).toList());
        refusals(snapshot.listenerCounters());
        snapshot.queue().ifPresentOrElse(queue -> {
            waiting.register(queue.byReason().entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("reason", e.getKey().label()), e.getValue())).toList(), true);
            destinations.register(queue.byDestination().entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("domain", e.getKey()), e.getValue())).toList(), true);
        }, () -> {
            waiting.register(List.of(), true);
            destinations.register(List.of(), true);
        });
        connections.register(snapshot.listeners().stream()
                .map(l -> MultiGauge.Row.of(Tags.of("listener", l.name()), l.connections())).toList(), true);
        pending.register(snapshot.accounts().stream()
                .map(a -> MultiGauge.Row.of(Tags.of("account", a.name()), a.pending())).toList(), true);
        lastSync.register(snapshot.accounts().stream().filter(a -> a.lastSync().isPresent())
                .map(a -> MultiGauge.Row.of(Tags.of("account", a.name()), a.lastSync().get().getEpochSecond())).toList(), true);
        failing.register(snapshot.accounts().stream()
                .map(a -> MultiGauge.Row.of(Tags.of("account", a.name()), a.lastError().isPresent() ? 1 : 0)).toList(), true);
        counters(accepted, snapshot.listeners().stream().map(ListenerStatus::name).toList(), "mailslot.listener.messages.accepted",
                "listener", "Messages a listener accepted (250 after DATA) since it started",
                name -> latest.get().listeners().stream().filter(l -> l.name().equals(name))
                        .mapToDouble(ListenerStatus::messagesAccepted).findFirst().orElse(Double.NaN));
        counters(retrieved, snapshot.accounts().stream().map(AccountStatus::name).toList(), "mailslot.account.retrieved",
                "account", "Messages an account stored locally since it started",
                name -> latest.get().accounts().stream().filter(a -> a.name().equals(name))
                        .mapToDouble(AccountStatus::retrieved).findFirst().orElse(Double.NaN));
    }

    private void deliveryCounters(List<String> routes) {
        delivery.entrySet().removeIf(entry -> {
            boolean gone = !routes.contains(entry.getKey());
            if (gone) {
                entry.getValue().forEach(registry::remove);
            }
            return gone;
        });
        for (String route : routes) {
            delivery.computeIfAbsent(route, r -> List.of(
                    outcome(r, "delivered", RouteStatistics::delivered),
                    outcome(r, "deferred", RouteStatistics::deferred),
                    outcome(r, "bounced", RouteStatistics::bounced)));
        }
    }

    private void cryptoCounter(CryptoTechnology technology, String operation, String result,
            ToDoubleFunction<CryptoStatistics.Figures> value) {
        FunctionCounter.builder("mailslot.crypto.messages", technology, t -> latest.get().crypto().stream()
                .filter(f -> f.technology() == t).mapToDouble(value).findFirst().orElse(Double.NaN))
                .tags("technology", technology.configName(), "operation", operation, "result", result)
                .description("Messages the crypto policy protected (outbound) or opened (retrieved), by technology")
                .register(registry);
    }

    private void listenerCounters(List<String> listeners) {
        listenerCounters.entrySet().removeIf(entry -> {
            boolean gone = !listeners.contains(entry.getKey());
            if (gone) {
                entry.getValue().forEach(registry::remove);
            }
            return gone;
        });
        for (String listener : listeners) {
            listenerCounters.computeIfAbsent(listener, l -> List.of(
                    listenerCounter(l, "mailslot.listener.auth.failures", Tags.of("listener", l),
                            "AUTH attempts the realm refused", ListenerCounters::authFailures),
                    listenerCounter(l, "mailslot.listener.tls.handshakes", Tags.of("listener", l, "result", "completed"),
                            "TLS handshakes, implicit and STARTTLS", ListenerCounters::tlsHandshakes),
                    listenerCounter(l, "mailslot.listener.tls.handshakes", Tags.of("listener", l, "result", "failed"),
                            "TLS handshakes, implicit and STARTTLS", ListenerCounters::tlsHandshakeFailures)));
        }
    }

    /** One counter per listener and reply code sent; a code appears once it was first sent. */
    private void refusals(List<ListenerCounters> counters) {
        List<String> keys = counters.stream()
                .flatMap(c -> c.refusals().keySet().stream().map(code -> c.name() + " " + code)).toList();
        refusals.entrySet().removeIf(entry -> {
            boolean gone = !keys.contains(entry.getKey());
            if (gone) {
                registry.remove(entry.getValue());
            }
            return gone;
        });
        for (String key : keys) {
            refusals.computeIfAbsent(key, k -> {
                String listener = k.substring(0, k.lastIndexOf(' '));
                int code = Integer.parseInt(k.substring(k.lastIndexOf(' ') + 1));
                return FunctionCounter.builder("mailslot.listener.refusals", k, ignored -> latest.get().listenerCounters().stream()
                        .filter(c -> c.name().equals(listener)).mapToDouble(c -> c.refusals().getOrDefault(code, 0L))
                        .findFirst().orElse(Double.NaN))
                        .tags("listener", listener, "code", String.valueOf(code))
                        .description("Replies that refused a client (4xx, 5xx), by listener and reply code")
                        .register(registry);
            });
        }
    }

    private Meter listenerCounter(String listener, String name, Tags tags, String help, ToDoubleFunction<ListenerCounters> value) {
        return FunctionCounter.builder(name, listener, l -> latest.get().listenerCounters().stream()
                .filter(c -> c.name().equals(l)).mapToDouble(value).findFirst().orElse(Double.NaN))
                .tags(tags).description(help).register(registry);
    }

    private Meter outcome(String route, String outcome, ToDoubleFunction<RouteStatistics> value) {
        return FunctionCounter.builder("mailslot.delivery.recipients", route,
                r -> latest.get().routes().stream().filter(s -> s.route().equals(r)).mapToDouble(value).findFirst().orElse(Double.NaN))
                .tags("route", route, "outcome", outcome)
                .description("Recipients delivered, deferred (one per failed attempt) or bounced, by route, since the spool started")
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }

    private void gauge(String name, String unit, String help, ToDoubleFunction<Snapshot> value) {
        Gauge.builder(name, latest, supplier -> value.applyAsDouble(supplier.get())).baseUnit(unit).description(help)
                .register(registry);
    }

    private MultiGauge multi(String name, String unit, String help) {
        return MultiGauge.builder(name).baseUnit(unit).description(help).register(registry);
    }

    /** One counter per named thing that exists now; the ones that went away are removed. */
    private void counters(Map<String, Meter> meters, List<String> names, String meterName, String tag, String help,
            ToDoubleFunction<String> value) {
        meters.entrySet().removeIf(entry -> {
            boolean gone = !names.contains(entry.getKey());
            if (gone) {
                registry.remove(entry.getValue());
            }
            return gone;
        });
        for (String name : names) {
            meters.computeIfAbsent(name, n -> FunctionCounter.builder(meterName, n, value).tags(tag, n).description(help)
                    .register(registry));
        }
    }

    private static java.util.Optional<TlsIdentity> identity(Snapshot snapshot) {
        return snapshot.tls().flatMap(TlsStatus::identity);
    }
}
