package org.mailslot.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * Makes committed messages durable and visible in groups: a single thread takes every commit
 * waiting, renames each message file into the queue directory, appends each small message to the
 * current segment ({@link Segments}) and forces it once, and then fsyncs the directory once for all
 * of them (when a rename or a new segment needs it). Each caller waits on its own future, which
 * completes only after that, so a batch never weakens what one commit promises; it only shares the
 * cost.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int MAX_BATCH = 1024;

    /** A rename ({@code from} to {@code to}) or a record to append; its future gets the record's place. */
    private record Pending(Path from, Path to, ByteBuffer record, CompletableFuture<Segments.Location> done) {
    }

    private static final Pending STOP = new Pending(null, null, null, null);

    private final SpoolIo io;
    private final Path directory;
    private final Segments segments;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    GroupCommitter(SpoolIo io, Path directory, Segments segments) {
        this.io = io;
        this.directory = directory;
        this.segments = segments;
        this.thread = new Thread(this::run, "mailslot-spool-committer");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a future completed once the file is durably visible under its new name */
    CompletableFuture<Segments.Location> commit(Path from, Path to) {
        return enqueue(new Pending(from, to, null, new CompletableFuture<>()));
    }

    /** @return a future completed with the record's place once it is durable in a segment */
    CompletableFuture<Segments.Location> append(ByteBuffer record) {
        return enqueue(new Pending(null, null, record, new CompletableFuture<>()));
    }

    private CompletableFuture<Segments.Location> enqueue(Pending pending) {
        CompletableFuture<Segments.Location> done = pending.done();
        if (stopped) {
            done.completeExceptionally(new IOException("The spool is stopping"));
            return done;
        }
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
        List<Pending> records = new ArrayList<>();
        for (Pending pending : batch) {
            if (pending.record() != null) {
                records.add(pending);
                continue;
            }
            try {
                io.move(pending.from(), pending.to());
                moved.add(pending);
            } catch (IOException | RuntimeException e) {
                pending.done().completeExceptionally(e);
            }
        }
        List<Segments.Location> appended = List.of();
        if (!records.isEmpty()) {
            try {
                appended = segments.append(records.stream().map(Pending::record).toList());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not append {} messages to a spool segment: {}", records.size(), e.toString());
                records.forEach(pending -> pending.done().completeExceptionally(e));
                records.clear();
            }
        }
        if (moved.isEmpty() && records.isEmpty()) {
            return;
        }
        boolean newSegment = !records.isEmpty() && segments.needsDirectorySync();
        try {
            if (!moved.isEmpty() || newSegment) {
                io.syncDirectory(directory);
                rounds.incrementAndGet();
                if (newSegment) {
                    segments.directorySynced();
                }
            }
            committed.addAndGet(moved.size() + records.size());
            moved.forEach(pending -> pending.done().complete(null));
            for (int i = 0; i < records.size(); i++) {
                records.get(i).done().complete(appended.get(i));
            }
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
            if (newSegment) {
                segments.abandon(appended);
                records.forEach(pending -> pending.done().completeExceptionally(e));
            } else {
                // The records were in a segment whose name was already durable: they are accepted.
                for (int i = 0; i < records.size(); i++) {
                    records.get(i).done().complete(appended.get(i));
                }
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
