package org.mailslot.spool.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes committed messages visible in groups: a single thread takes every commit waiting, renames
 * each message file into the queue directory and then fsyncs that directory once for all of them.
 * Each caller waits on its own future, which completes only after the directory fsync, so a
 * batch never weakens what one commit promises; it only shares the cost.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int MAX_BATCH = 1024;

    private record Pending(Path from, Path to, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(null, null, null);

    private final SpoolIo io;
    private final Path directory;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    GroupCommitter(SpoolIo io, Path directory) {
        this.io = io;
        this.directory = directory;
        this.thread = new Thread(this::run, "mailslot-spool-committer");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a future completed once the file is durably visible under its new name */
    CompletableFuture<Void> commit(Path from, Path to) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (stopped) {
            done.completeExceptionally(new IOException("The spool is stopping"));
            return done;
        }
        Pending pending = new Pending(from, to, done);
        queue.add(pending);
        if (stopped && !thread.isAlive() && queue.remove(pending)) {
            done.completeExceptionally(new IOException("The spool is stopping"));
        }
        return done;
    }

    /** @return how many directory fsync rounds have completed */
    long rounds() {
        return rounds.get();
    }

    /** @return how many commits have completed */
    long committed() {
        return committed.get();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean running = true;
        while (running) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            running = !batch.remove(STOP);
            commitBatch(batch);
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        commitBatch(rest);
    }

    private void commitBatch(List<Pending> batch) {
        batch.removeIf(p -> p == STOP);
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> moved = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            try {
                io.move(pending.from(), pending.to());
                moved.add(pending);
            } catch (IOException | RuntimeException e) {
                pending.done().completeExceptionally(e);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        try {
            io.syncDirectory(directory);
            rounds.incrementAndGet();
            committed.addAndGet(moved.size());
            moved.forEach(pending -> pending.done().complete(null));
        } catch (IOException | RuntimeException e) {
            // Not durable, so not accepted: take the files back out of sight before saying so.
            LOG.warn("Could not fsync the spool directory {}: {}", directory, e.toString());
            for (Pending pending : moved) {
                try {
                    Files.deleteIfExists(pending.to());
                } catch (IOException deleteFailure) {
                    e.addSuppressed(deleteFailure);
                }
                pending.done().completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        queue.add(STOP);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(p -> p != STOP)
                .forEach(p -> p.done().completeExceptionally(new IOException("The spool is stopping")));
    }
}
