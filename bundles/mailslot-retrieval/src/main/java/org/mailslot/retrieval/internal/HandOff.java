package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an account's stored messages to every {@link MessageHandler} that wants them, after the
 * inbound processors. Each handler has a lane of its own: a queue, run as a task on the bundle's
 * {@link HandlerPool} a few messages at a time, so a slow or hung handler holds back only itself. A
 * call (processing and handling) that does not return within {@code handlerTimeout} counts as a
 * failure: its thread is interrupted and written off (the pool replaces it, up to its cap), and the
 * lane goes on with another. Each (handler, message) that fails is retried on its own schedule,
 * doubling from {@code retryFirst} up to {@code retryMax}.
 *
 * <p>A success is recorded per handler name in the {@link StateStore} as soon as the handler
 * returns, and forced by group commit: a lane may run at most {@link #DURABILITY_WINDOW} hand-offs
 * ahead of the disk, so a crash repeats at most that many per handler (usually none beyond the
 * last force, a few milliseconds), while a fast handler is not held to one fsync per message.
 *
 * <p>While an inbound stage that {@code inbound.required} names is not registered, nothing is
 * handed off; the messages stay stored and {@link #lastError()} says which stage is awaited.
 */
final class HandOff {

    private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);

    /** How long a stop waits for handler calls under way (or the handler timeout, if shorter). */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** Hand-offs a lane may have recorded but not yet forced before it waits for the disk. */
    static final int DURABILITY_WINDOW = 16;

    /** Messages a lane hands off before it lets the other lanes waiting for a thread go first. */
    static final int TURN = 64;

    private record Attempt(int failures, Instant notBefore) {
    }

    private final String account;
    private final Whiteboard whiteboard;
    private final StateStore state;
    private final LocalMaildir maildir;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final HandlerPool handlers;
    private final ReentrantReadWriteLock working = new ReentrantReadWriteLock();
    private final Clock clock;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final Duration handlerTimeout;
    private final Object calls = new Object();
    private int callsUnderWay; // guarded by calls: handler calls not yet returned and recorded
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean forceScheduled = new AtomicBoolean();
    private final ScheduledFuture<?> watchdog;
    private volatile boolean stopped;
    private volatile String lastError;
    private volatile String waiting;

    /**
     * @param scheduler runs the passes that fill the lanes and the timeout watchdog (shared; nothing waits there)
     * @param io runs the group commits
     * @param handlers runs the lanes
     */
    HandOff(String account, Whiteboard whiteboard, StateStore state, LocalMaildir maildir,
            ScheduledExecutorService scheduler, Executor io, HandlerPool handlers, Clock clock, Duration retryFirst,
            Duration retryMax, Duration handlerTimeout) {
        this.account = account;
        this.whiteboard = whiteboard;
        this.state = state;
        this.maildir = maildir;
        this.scheduler = scheduler;
        this.io = io;
        this.handlers = handlers;
        this.clock = clock;
        this.retryFirst = retryFirst;
        this.retryMax = retryMax;
        this.handlerTimeout = handlerTimeout;
        long period = Math.max(10, Math.min(1000, handlerTimeout.toMillis() / 4));
        this.watchdog = scheduler.scheduleWithFixedDelay(this::checkTimeouts, period, period, TimeUnit.MILLISECONDS);
    }

    /** Runs a pass soon (coalesced with one already waiting). */
    void wake() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::pass);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // shutting down
            }
        }
    }

    /**
     * Stops every lane (interrupting handlers still running), waits at most {@link #STOP_WAIT} for handler
     * calls under way to return and record what they took (so that a stop repeats no hand-off a handler
     * finished), and waits for a pass or group commit under way, so that the state log can be closed after.
     */
    void stop() {
        stopped = true;
        watchdog.cancel(false);
        lanes.values().forEach(Lane::stop);
        Duration wait = STOP_WAIT.compareTo(handlerTimeout) < 0 ? STOP_WAIT : handlerTimeout;
        if (!callsReturned(wait)) {
            LOG.warn("Account {}: a handler call did not return within {} of the stop; what it takes is handed"
                    + " over again at the next start", account, wait);
        }
        working.writeLock().lock();
        working.writeLock().unlock();
    }

    private boolean callsReturned(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (calls) {
            while (callsUnderWay > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(calls, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void callStarted() {
        synchronized (calls) {
            callsUnderWay++;
        }
    }

    private void callEnded() {
        synchronized (calls) {
            if (--callsUnderWay == 0) {
                calls.notifyAll();
            }
        }
    }

    /** @return messages stored locally that some current handler has not taken */
    int pendingCount() {
        return state.pending(handlerNames()).size();
    }

    /** @return why hand-off waits or what last failed, if anything */
    String lastError() {
        String w = waiting;
        return w != null ? w : lastError;
    }

    private List<String> handlerNames() {
        return whiteboard.handlersFor(account).stream().map(Whiteboard.NamedHandler::name).toList();
    }

    private void pass() {
        scheduled.set(false);
        working.readLock().lock();
        try {
            if (!stopped) {
                fill();
            }
        } finally {
            working.readLock().unlock();
        }
    }

    private void fill() {
        Instant next = null;
        try {
            Optional<String> missing = whiteboard.missingStage();
            if (missing.isPresent()) {
                // Woken again when a processor registers.
                waiting = "hand-off waits for the required inbound stage " + missing.get() + " (is its bundle started?)";
                return;
            }
            waiting = null;
            List<Whiteboard.NamedHandler> handlers = whiteboard.handlersFor(account);
            if (handlers.isEmpty()) {
                return;
            }
            List<StateStore.Stored> pending = state.pending(handlers.stream().map(Whiteboard.NamedHandler::name).toList());
            Instant now = clock.instant();
            for (Whiteboard.NamedHandler handler : handlers) {
                Lane lane = lanes.computeIfAbsent(handler.name(), Lane::new);
                lane.handler = handler.handler();
                for (StateStore.Stored stored : pending) {
                    Instant retryAt = lane.offer(stored, now);
                    if (retryAt != null && (next == null || retryAt.isBefore(next))) {
                        next = retryAt;
                    }
                }
            }
        } catch (RuntimeException e) {
            lastError = "hand-off: " + e.getMessage();
            LOG.warn("Account {}: hand-off pass failed", account, e);
            next = clock.instant().plus(retryFirst);
        }
        if (next != null) {
            wakeAt(next);
        }
    }

    private void wakeAt(Instant when) {
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
        try {
            scheduler.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Forces the hand-off records soon, off the lanes' threads. */
    private void forceSoon() {
        if (forceScheduled.compareAndSet(false, true)) {
            try {
                io.execute(() -> {
                    forceScheduled.set(false);
                    working.readLock().lock();
                    try {
                        if (!stopped) {
                            state.force();
                        }
                    } catch (IOException e) {
                        lastError = "hand-off: recording failed: " + e.getMessage();
                        LOG.warn("Account {}: hand-off records not forced", account, e);
                    } finally {
                        working.readLock().unlock();
                    }
                });
            } catch (RejectedExecutionException e) {
                forceScheduled.set(false);
            }
        }
    }

    private void checkTimeouts() {
        Instant now = clock.instant();
        lanes.values().forEach(lane -> lane.checkTimeout(now));
    }

    private RetrievedMessage process(StateStore.Stored stored) throws IOException {
        Path file = maildir.file(stored.file().orElseThrow());
        RetrievedMessage message = RetrievedMessage.fetched(account, stored.key().folder(), stored.key().id(),
                stored.retrieved(), MessageSource.of(file));
        for (InboundProcessor processor : whiteboard.processors()) {
            message = processor.process(message);
        }
        return message;
    }

    Duration delay(int failureCount) {
        Duration d = retryFirst;
        for (int i = 1; i < failureCount && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    /** One handler's queue, run as a task. */
    private final class Lane {
        private final String name;
        volatile MessageHandler handler;
        private final ArrayDeque<StateStore.Stored> queue = new ArrayDeque<>();
        private final Set<StateStore.Key> queued = new HashSet<>();
        private final Map<StateStore.Key, Attempt> failures = new HashMap<>();
        private final ArrayDeque<Long> unforced = new ArrayDeque<>(); // the owning worker thread only
        private boolean active; // a task of this generation is queued or running
        private Thread worker; // the thread running it
        private final Set<Long> writtenOff = new HashSet<>(); // generations whose call hung
        private long generation;
        private StateStore.Stored current;
        private Instant currentSince;

        Lane(String name) {
            this.name = name;
        }

        /**
         * Queues the message unless it is queued, taken or backing off. The lane's lock makes the
         * check and the queueing one step against {@link #finish}, which records before it unqueues.
         *
         * @return when the message may be tried again, if it is backing off
         */
        synchronized Instant offer(StateStore.Stored stored, Instant now) {
            if (queued.contains(stored.key()) || state.isHandled(name, stored.key())) {
                return null;
            }
            Attempt attempt = failures.get(stored.key());
            if (attempt != null && now.isBefore(attempt.notBefore())) {
                return attempt.notBefore();
            }
            queued.add(stored.key());
            queue.add(stored);
            ensureWorker();
            return null;
        }

        private synchronized void ensureWorker() {
            if (!active && !stopped && !queue.isEmpty()) {
                long mine = generation;
                active = true;
                try {
                    handlers.execute(() -> work(mine));
                } catch (RejectedExecutionException e) {
                    active = false; // the bundle stops
                }
            }
        }

        private void work(long mine) {
            synchronized (this) {
                if (generation != mine) {
                    return;
                }
                worker = Thread.currentThread();
            }
            boolean turnOver = false;
            for (int taken = 0; ; taken++) {
                StateStore.Stored stored;
                MessageHandler target = handler;
                synchronized (this) {
                    if (generation != mine || stopped || queue.isEmpty() || whiteboard.handler(target).isEmpty()
                            || taken == TURN) {
                        if (generation == mine) {
                            worker = null;
                            active = false;
                            turnOver = taken == TURN && !queue.isEmpty();
                            if (!turnOver) {
                                queue.clear(); // left over only when the handler went away: a later pass refills
                                queued.clear();
                            }
                        }
                        break;
                    }
                    stored = queue.poll();
                    current = stored;
                    currentSince = clock.instant();
                }
                Exception failure = null;
                boolean owner;
                callStarted();
                try {
                    try {
                        target.handle(process(stored));
                    } catch (Exception e) {
                        failure = e;
                    } catch (LinkageError | AssertionError e) {
                        failure = new IllegalStateException(e.toString(), e); // a broken handler bundle, not ours
                    }
                    owner = finish(mine, stored, failure);
                } finally {
                    callEnded();
                }
                if (!owner) {
                    synchronized (this) {
                        if (writtenOff.remove(mine)) {
                            handlers.returned();
                        }
                    }
                    break; // timed out: the lane has gone on without this thread
                }
            }
            forceSoon();
            if (turnOver) {
                ensureWorker(); // behind the other lanes waiting for a thread
            }
        }

        /**
         * Records the outcome, and only then lets the message be offered again: a pass that ran in
         * between would otherwise find it neither handled nor queued and hand it over twice.
         *
         * @return whether this thread still owns the lane
         */
        private boolean finish(long mine, StateStore.Stored stored, Exception failure) {
            boolean owner;
            synchronized (this) {
                owner = generation == mine;
                if (owner) {
                    current = null; // from here on the watchdog and stop() leave this thread alone
                }
            }
            // An interrupt meant for the handler must not reach the state log: it would close its channel.
            Thread.interrupted();
            try {
                if (failure == null) {
                    // Taken, even if late: record it, so it is not handed over again.
                    long position = state.recordHandled(name, stored.key());
                    boolean recovered;
                    synchronized (this) {
                        failures.remove(stored.key());
                        recovered = failures.isEmpty();
                    }
                    String error = lastError;
                    if (recovered && error != null && error.startsWith("handler " + name + ": ")) {
                        lastError = null; // this handler has nothing left to retry
                    }
                    if (owner) {
                        keepWithinWindow(position);
                    }
                } else if (owner) {
                    failed(stored, failure.toString());
                }
            } catch (IOException e) {
                lastError = "hand-off: recording failed: " + e.getMessage();
                LOG.warn("Account {}: hand-off of {} to {} not recorded", account, stored.key().id(), name, e);
            } finally {
                if (owner) {
                    synchronized (this) {
                        queued.remove(stored.key());
                    }
                }
            }
            return owner;
        }

        private void keepWithinWindow(long position) throws IOException {
            unforced.add(position);
            forceSoon();
            while (!unforced.isEmpty() && unforced.peekFirst() <= state.durablePosition()) {
                unforced.poll();
            }
            if (unforced.size() >= DURABILITY_WINDOW) {
                state.forceTo(unforced.peekLast());
                unforced.clear();
            }
        }

        private void failed(StateStore.Stored stored, String why) {
            Instant notBefore;
            int count;
            synchronized (this) {
                Attempt attempt = failures.get(stored.key());
                count = attempt == null ? 1 : attempt.failures() + 1;
                notBefore = clock.instant().plus(delay(count));
                failures.put(stored.key(), new Attempt(count, notBefore));
            }
            lastError = "handler " + name + ": " + why;
            LOG.warn("Account {}: handler {} did not take {} {} (attempt {}, next in {}): {}", account, name,
                    stored.key().folder(), stored.key().id(), count, delay(count), why);
            wakeAt(notBefore);
        }

        void checkTimeout(Instant now) {
            StateStore.Stored stuck;
            synchronized (this) {
                if (current == null || now.isBefore(currentSince.plus(handlerTimeout))) {
                    return;
                }
                stuck = current;
                current = null;
                generation++;
                if (worker != null) {
                    worker.interrupt(); // in the handler's call (current was set); it may never notice
                }
                worker = null;
                active = false;
                writtenOff.add(generation - 1);
                handlers.writeOff();
            }
            failed(stuck, "did not return within " + handlerTimeout + "; treated as failed");
            synchronized (this) {
                queued.remove(stuck.key()); // after its backoff is set, so a pass does not offer it at once
            }
            ensureWorker(); // a new thread for the rest of the queue
        }

        void stop() {
            synchronized (this) {
                generation++;
                if (worker != null && current != null) {
                    worker.interrupt(); // only in a handler's call, never while it writes the state log
                }
                worker = null;
                active = false;
                queue.clear();
                queued.clear();
                notifyAll();
            }
        }
    }
}
