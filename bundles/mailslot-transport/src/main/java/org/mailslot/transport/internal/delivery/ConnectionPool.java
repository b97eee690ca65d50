package org.mailslot.transport.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.mailslot.api.port.PortStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle SMTP connections by route, host and port, reused across messages (most recently used
 * first) and closed with QUIT when idle for longer than their route's idle timeout. At most
 * {@code maxIdle} connections are kept per key; deliveries in flight are not limited here.
 * Thread-safe; {@link #close()} stops the sweeper and closes every idle connection.
 *
 * <p>A connection is only ever handed out or kept under the port strategy it was opened under:
 * {@link #take} and {@link #release} are given the strategy in force and close a connection of
 * another one, so a connection opened in clear under an opportunistic strategy never carries a
 * message after its port was switched to one that requires TLS, whatever the order in which the
 * switch, {@link #evictPort} and deliveries in flight happen.
 */
final class ConnectionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private record Idle(SmtpConnection connection, Duration idleTimeout) {
    }

    private final Clock clock;
    private final Map<PoolKey, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    /**
     * @param clock the clock idle times are measured with
     * @param sweepInterval how often idle connections are looked at
     */
    ConnectionPool(Clock clock, Duration sweepInterval) {
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mailslot-smtp-pool");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(10, sweepInterval.toMillis());
        sweeper.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @param key where the connection must go
     * @param inForce the port's strategy now: idle connections opened under another are closed
     * @return an idle connection for the key opened under that strategy, most recently used first,
     *     or null
     */
    SmtpConnection take(PoolKey key, PortStrategy inForce) {
        Deque<Idle> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        for (Idle entry = connections.pollFirst(); entry != null; entry = connections.pollFirst()) {
            if (entry.connection().strategy() == inForce) {
                return entry.connection();
            }
            LOG.debug("Closing {}: opened under port strategy {}, now {}", entry.connection(),
                    entry.connection().strategy(), inForce);
            entry.connection().close();
        }
        return null;
    }

    /**
     * Keeps a connection that ended its transaction cleanly, or closes it if the pool is full,
     * closed, the route keeps no connections, or the port's strategy is no longer the one the
     * connection was opened under.
     */
    void release(SmtpConnection connection, PortStrategy inForce, Duration idleTimeout, int maxIdle) {
        Deque<Idle> connections = idle.computeIfAbsent(connection.key(), key -> new ConcurrentLinkedDeque<>());
        if (closed || maxIdle <= 0 || idleTimeout.isZero() || idleTimeout.isNegative() || connections.size() >= maxIdle
                || connection.strategy() != inForce) {
            connection.close();
            return;
        }
        connection.idleSince(clock.instant());
        connections.addFirst(new Idle(connection, idleTimeout));
        if (closed && connections.remove(new Idle(connection, idleTimeout))) {
            connection.close();
        }
    }

    /** @return how many idle connections the pool holds for the key */
    int idleCount(PoolKey key) {
        Deque<Idle> connections = idle.get(key);
        return connections == null ? 0 : connections.size();
    }

    /** Closes the idle connections of a route, when its configuration changed or went away. */
    void evict(String route) {
        for (Map.Entry<PoolKey, Deque<Idle>> entry : idle.entrySet()) {
            if (entry.getKey().route().equals(route)) {
                drain(entry.getValue());
            }
        }
    }

    /** Closes the idle connections to a port, when the strategy in force for it changed. */
    void evictPort(int port) {
        for (Map.Entry<PoolKey, Deque<Idle>> entry : idle.entrySet()) {
            if (entry.getKey().port() == port) {
                drain(entry.getValue());
            }
        }
    }

    void sweep() {
        try {
            closeExpired();
        } catch (RuntimeException e) {
            // Keep the schedule alive: an exception would cancel it for good.
            LOG.warn("Closing idle SMTP connections failed", e);
        }
    }

    private void closeExpired() {
        Instant now = clock.instant();
        List<SmtpConnection> expired = new ArrayList<>();
        for (Deque<Idle> connections : idle.values()) {
            for (Iterator<Idle> it = connections.iterator(); it.hasNext();) {
                Idle entry = it.next();
                if (!now.isBefore(entry.connection().idleSince().plus(entry.idleTimeout())) && connections.remove(entry)) {
                    expired.add(entry.connection());
                }
            }
        }
        for (SmtpConnection connection : expired) {
            LOG.debug("Closing idle SMTP connection {}", connection);
            connection.close();
        }
    }

    private static void drain(Deque<Idle> connections) {
        for (Idle entry = connections.pollFirst(); entry != null; entry = connections.pollFirst()) {
            entry.connection().close();
        }
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        idle.values().forEach(ConnectionPool::drain);
    }
}
