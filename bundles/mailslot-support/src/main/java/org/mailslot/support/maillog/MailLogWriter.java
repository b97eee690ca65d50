package org.mailslot.support.maillog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Hands mail log events to a sink from a thread of its own, in batches, so that a line costs the thread
 * that logs it a list insert and no thread wake-up while mail flows.
 * <p>
 * The writer is woken only when it is idle: the first event after a quiet spell is written at once. After
 * each batch it lingers, so that events arriving meanwhile (under load, many) go in the next batch; an event
 * waits at most the linger and the batch before it. A linger that brings nothing makes it idle again; idle
 * for {@code idleExit}, its thread ends (a refreshed bundle's copy leaves nothing running) and the next
 * event starts another. When {@code capacity} events wait, callers wait too: none is dropped.
 * <p>
 * Threading: {@link #add} from any thread; the sink is called from the writer's thread only, one batch at
 * a time, in the order the events were added. A sink that throws loses that batch's rest, not the writer.
 */
final class MailLogWriter {

    private final Consumer<List<MailLogEvent>> sink;
    private final long lingerNanos;
    private final long idleExitNanos;
    private final int capacity;
    private final String threadName;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final Condition drained = lock.newCondition();
    private List<MailLogEvent> pending = new ArrayList<>();
    private List<MailLogEvent> spare = new ArrayList<>();
    private Thread thread;
    private boolean idle;
    private boolean writing;
    private int waitingForRoom;
    /** Callers in {@link #flush}: the writer does not linger for them. */
    private volatile int flushing;

    MailLogWriter(String threadName, Duration linger, Duration idleExit, int capacity, Consumer<List<MailLogEvent>> sink) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.lingerNanos = linger.toNanos();
        this.idleExitNanos = idleExit.toNanos();
        this.capacity = capacity;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Queues the event; waits while {@code capacity} events wait already. */
    void add(MailLogEvent event) {
        Objects.requireNonNull(event, "event");
        lock.lock();
        try {
            while (pending.size() >= capacity) {
                waitingForRoom++;
                try {
                    room.awaitUninterruptibly();
                } finally {
                    waitingForRoom--;
                }
            }
            pending.add(event);
            if (thread == null) {
                Thread writer = new Thread(this::run, threadName);
                writer.setDaemon(true);
                writer.start();
                thread = writer;
            } else if (idle) {
                idle = false;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every event added before is through the sink, or {@code max} has passed.
     *
     * @return whether they all are
     */
    boolean flush(Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lock();
        try {
            flushing++;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
            while (!pending.isEmpty() || writing) {
                if (left <= 0) {
                    return false;
                }
                left = drained.awaitNanos(left);
            }
            return true;
        } finally {
            flushing--;
            lock.unlock();
        }
    }

    /** @return whether the writer has a thread now (it ends after {@code idleExit} without events) */
    boolean running() {
        lock.lock();
        try {
            return thread != null;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<MailLogEvent> batch;
        while ((batch = next()) != null) {
            boolean full = batch.size() >= capacity;
            try {
                sink.accept(batch);
            } catch (RuntimeException | LinkageError e) {
                // The logging system's own failure: there is nowhere better to report it; the next batch is tried.
            }
            batch.clear();
            lock.lock();
            try {
                spare = batch;
                writing = false;
                if (pending.isEmpty()) {
                    drained.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!full) {
                linger();
            }
        }
    }

    /** @return the events queued since the last batch, waiting for one while idle; null when the thread should end */
    private List<MailLogEvent> next() {
        lock.lock();
        try {
            long exitIn = idleExitNanos;
            while (pending.isEmpty()) {
                if (exitIn <= 0) {
                    idle = false;
                    thread = null;
                    return null;
                }
                idle = true;
                try {
                    exitIn = work.awaitNanos(exitIn);
                } catch (InterruptedException e) {
                    exitIn = 0;
                }
            }
            idle = false;
            writing = true;
            List<MailLogEvent> batch = pending;
            pending = spare;
            spare = null;
            if (waitingForRoom > 0) {
                room.signalAll();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void linger() {
        long until = System.nanoTime() + lingerNanos;
        for (long left = lingerNanos; left > 0 && flushing == 0 && !Thread.interrupted(); left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }
}
