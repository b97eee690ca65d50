package org.mailslot.spool.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Directory fsyncs shared by everyone who needs one at about the same time, as the spool's commits
 * share theirs: a caller's entries (a rename into {@code new/}) are durable once an fsync of the
 * directory that began after they were made has ended. The fsyncs run on threads of their own, one
 * directory's after another's end: callers that come while one runs are all answered by the next,
 * so N deliveries into one Maildir at once cost about two directory fsyncs, not N, none is answered
 * by an fsync that began before its rename, and no caller's thread has to wait for one.
 */
final class DirectorySyncs implements AutoCloseable {

    /** Directories fsync'd at once, at most; more wait for a thread. */
    private static final int THREADS = 16;

    private final SpoolIo io;
    private final Map<Path, Directory> directories = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor threads;

    DirectorySyncs(SpoolIo io) {
        this.io = io;
        AtomicInteger number = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "mailslot-maildir-sync-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.allowCoreThreadTimeOut(true);
    }

    /**
     * @return completes once an fsync of the directory that began after this call has succeeded;
     *     completes exceptionally with an {@link IOException} (in a {@link CompletionException}) if it failed
     */
    CompletableFuture<Void> after(Path directory) {
        return directories.computeIfAbsent(directory, Directory::new).after();
    }

    /** Returns once an fsync of the directory that began after this call has succeeded. */
    void sync(Path directory) throws IOException {
        await(after(directory));
    }

    /** Waits for the fsync; @throws IOException the fsync's failure */
    static void await(CompletableFuture<Void> synced) throws IOException {
        try {
            synced.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted waiting for a directory fsync", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** @return the IOException a failed fsync's future holds */
    static IOException failure(Throwable completion) {
        Throwable cause = completion instanceof CompletionException && completion.getCause() != null
                ? completion.getCause() : completion;
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    /** Lets the fsyncs under way and asked for end; later calls fail. */
    @Override
    public void close() {
        threads.shutdown();
    }

    private final class Directory {

        private final Path path;
        /** The callers the next fsync answers. */
        private List<CompletableFuture<Void>> waiting = new ArrayList<>();
        private boolean running;

        Directory(Path path) {
            this.path = path;
        }

        CompletableFuture<Void> after() {
            CompletableFuture<Void> synced = new CompletableFuture<>();
            boolean start;
            synchronized (this) {
                waiting.add(synced);
                start = !running;
                running = true;
            }
            if (start) {
                try {
                    threads.execute(this::rounds);
                } catch (RejectedExecutionException closed) {
                    answer(take(true), new IOException("Could not fsync " + path + ": the Maildir is closed"));
                }
            }
            return synced;
        }

        /** Runs fsyncs while callers wait for one. */
        private void rounds() {
            for (List<CompletableFuture<Void>> round = take(false); !round.isEmpty(); round = take(false)) {
                IOException failure = null;
                try {
                    io.syncDirectory(path);
                } catch (IOException e) {
                    failure = new IOException("Could not fsync " + path + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    failure = new IOException("Could not fsync " + path + ": " + e, e);
                }
                answer(round, failure);
            }
        }

        /** @return the callers the fsync about to start answers; none (and no longer running) if there are none */
        private synchronized List<CompletableFuture<Void>> take(boolean stop) {
            List<CompletableFuture<Void>> round = waiting;
            waiting = new ArrayList<>();
            running = !stop && !round.isEmpty();
            return round;
        }

        private void answer(List<CompletableFuture<Void>> round, IOException failure) {
            for (CompletableFuture<Void> synced : round) {
                if (failure == null) {
                    synced.complete(null);
                } else {
                    synced.completeExceptionally(failure);
                }
            }
        }
    }
}
