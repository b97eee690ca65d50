package org.mailslot.metrics.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoStatistics;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;
import org.mailslot.api.tls.TlsStatus;

/**
 * What the running services said at one moment, read from the same API services
 * {@code mailslot:status} reads. A service that does not run is empty, not zero.
 *
 * @param at when it was taken
 * @param queue the spool's figures, empty when no spool runs
 * @param listeners every listener, empty list when no SMTP server runs
 * @param listenerCounters every listener's counters, empty list when no SMTP server runs
 * @param accounts every retrieval account, empty list when no retrieval runs
 * @param tls the TLS material's state, empty when no TLS service runs
 * @param routes the spool's delivery figures by route, empty list when no spool runs
 * @param suspended the destinations whose delivery is suspended now, with why
 * @param crypto the crypto policy's figures by technology, empty list when it does not run
 */
record Snapshot(Instant at, Optional<QueueFigures> queue, List<ListenerStatus> listeners,
        List<ListenerCounters> listenerCounters, List<AccountStatus> accounts,
        Optional<TlsStatus> tls, List<RouteStatistics> routes, List<String> suspended,
        List<CryptoStatistics.Figures> crypto) {

    Snapshot {
        listeners = List.copyOf(listeners);
        listenerCounters = List.copyOf(listenerCounters);
        accounts = List.copyOf(accounts);
        routes = List.copyOf(routes);
        suspended = List.copyOf(suspended);
        crypto = List.copyOf(crypto);
    }

    static Snapshot empty(Instant at) {
        return new Snapshot(at, Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(), List.of(), List.of(), List.of());
    }

    static long delivered(List<RouteStatistics> routes) {
        return routes.stream().mapToLong(RouteStatistics::delivered).sum();
    }

    static long messagesAccepted(List<ListenerStatus> listeners) {
        return listeners.stream().mapToLong(ListenerStatus::messagesAccepted).sum();
    }
}
