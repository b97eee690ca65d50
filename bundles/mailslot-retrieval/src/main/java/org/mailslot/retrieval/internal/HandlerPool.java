package org.mailslot.retrieval.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that call message handlers, for every lane of every account. A lane is a task: it
 * takes a few messages from its queue and gives its thread back. A call that does not return within
 * {@code handler.timeout} leaves its thread behind ({@link #writeOff()}); the pool grows by one
 * thread for it, so the other lanes keep {@code threads} threads, up to {@code writeOffCap} threads
 * written off at a time. Beyond the cap a hung call keeps one of the {@code threads}: the other lanes
 * share fewer, and when every thread hangs, hand-off waits (the messages stay stored, each lane's
 * retries resume once a call returns). A written-off thread that returns gives its place back
 * ({@link #returned()}).
 */
final class HandlerPool implements AutoCloseable {

    /** Threads calling handlers when none hangs. */
    static final int THREADS = 8;
    /** Hung calls at most replaced by a new thread at a time. */
    static final int WRITE_OFF_CAP = 32;

    private final int threads;
    private final int writeOffCap;
    private final ThreadPoolExecutor pool;
    private int writtenOff; // under this

    HandlerPool(int threads, int writeOffCap, ThreadFactory factory) {
        if (threads < 1 || writeOffCap < 0) {
            throw new IllegalArgumentException("handler threads must be at least 1 and the write-off cap not negative");
        }
        this.threads = threads;
        this.writeOffCap = writeOffCap;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    void execute(Runnable lane) throws RejectedExecutionException {
        pool.execute(lane);
    }

    /** A call hung past its timeout: its thread is no longer counted. */
    synchronized void writeOff() {
        writtenOff++;
        resize();
    }

    /** A written-off call returned: its thread is counted again. */
    synchronized void returned() {
        writtenOff = Math.max(0, writtenOff - 1);
        resize();
    }

    synchronized int writtenOff() {
        return writtenOff;
    }

    private void resize() {
        int size = threads + Math.min(writtenOff, writeOffCap);
        if (size > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(size);
            pool.setCorePoolSize(size); // starts threads for lanes already waiting
        } else if (size < pool.getMaximumPoolSize()) {
            pool.setCorePoolSize(size);
            pool.setMaximumPoolSize(size);
        }
    }

    @Override
    public synchronized String toString() {
        return pool.getPoolSize() + " threads, " + writtenOff + " written off";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
