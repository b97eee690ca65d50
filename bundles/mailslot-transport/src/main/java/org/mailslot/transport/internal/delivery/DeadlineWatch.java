package org.mailslot.transport.internal.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that looks at every open connection's {@link Deadline} each {@code tick} and closes
 * the connections whose deadline has passed. Arming a deadline is a volatile write, so the hot path
 * schedules nothing per message; a deadline is enforced at most one tick late.
 */
final class DeadlineWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineWatch.class);

    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    DeadlineWatch(Duration tick) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mailslot-smtp-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.scheduleWithFixedDelay(this::expire, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        this.timer = executor;
    }

    void register(Deadline deadline) {
        deadlines.add(deadline);
    }

    void unregister(Deadline deadline) {
        deadlines.remove(deadline);
    }

    /** @return how many connections are watched (for tests: none is left behind) */
    int watched() {
        return deadlines.size();
    }

    private void expire() {
        long now = System.nanoTime();
        for (Deadline deadline : deadlines) {
            try {
                if (deadline.expireIfDue(now)) {
                    LOG.debug("Closed a delivery connection: {}", deadline.expired().orElse(""));
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not close a connection past its deadline", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
