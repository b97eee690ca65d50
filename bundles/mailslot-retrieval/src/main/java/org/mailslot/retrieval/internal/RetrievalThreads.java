package org.mailslot.retrieval.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The threads of every retrieval account, owned once by the bundle and handed to each account, so
 * that the thread count follows the pool sizes below and not the number of accounts times a fixed
 * set. Names start with {@value #PREFIX}.
 *
 * <ul>
 * <li>{@code session}: one thread per connected account (Jakarta Mail blocks a thread in every read and
 * IDLE), at most {@link #MAX_SESSIONS}; an account started beyond that fails with a reason.</li>
 * <li>{@code commit}: {@link #COMMITS} threads making fetched batches durable while the next is fetched.</li>
 * <li>{@code fsync}: {@link #FORCES} threads forcing a batch's files together, shared by every account.</li>
 * <li>{@code timer}: {@link #TIMERS} threads for heartbeats, hand-off passes, retries, the handler
 * watchdog and every socket's write timeout; nothing that waits on the network runs there.</li>
 * <li>{@code handler}: the handler lanes, as tasks ({@link HandlerPool}).</li>
 * </ul>
 */
@Component(service = RetrievalThreads.class)
public final class RetrievalThreads implements AutoCloseable {

    /** Every retrieval thread's name starts with this. */
    static final String PREFIX = "mailslot-retrieval-";
    static final int MAX_SESSIONS = 1024;
    static final int COMMITS = 4;
    static final int FORCES = 32;
    static final int TIMERS = 2;

    private final ThreadPoolExecutor sessions;
    private final ExecutorService commits;
    private final ExecutorService forces;
    private final ScheduledThreadPoolExecutor timer;
    private final HandlerPool handlers;

    public RetrievalThreads() {
        this(HandlerPool.THREADS, HandlerPool.WRITE_OFF_CAP);
    }

    /** @see HandlerPool#HandlerPool(int, int, ThreadFactory) */
    RetrievalThreads(int handlerThreads, int handlerWriteOffCap) {
        // Session threads end when their account stops; idle ones are not kept.
        this.sessions = new ThreadPoolExecutor(0, MAX_SESSIONS, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("session"));
        this.commits = fixed(COMMITS, "commit");
        // Forcing is I/O wait, and concurrent forces share the file system's journal commits.
        this.forces = fixed(FORCES, "fsync");
        this.timer = new ScheduledThreadPoolExecutor(TIMERS, named("timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.handlers = new HandlerPool(handlerThreads, handlerWriteOffCap, named("handler"));
    }

    private static ExecutorService fixed(int threads, String kind) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(kind));
        pool.allowCoreThreadTimeOut(true); // an installation without accounts keeps none of them
        return pool;
    }

    static ThreadFactory named(String kind) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, PREFIX + kind + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs an account's session loop; refused (RejectedExecutionException) at {@link #MAX_SESSIONS}. */
    ExecutorService sessions() {
        return sessions;
    }

    ExecutorService commits() {
        return commits;
    }

    ExecutorService forces() {
        return forces;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    HandlerPool handlers() {
        return handlers;
    }

    @Deactivate
    @Override
    public void close() {
        sessions.shutdownNow();
        commits.shutdownNow();
        forces.shutdownNow();
        timer.shutdownNow();
        handlers.close();
    }
}
