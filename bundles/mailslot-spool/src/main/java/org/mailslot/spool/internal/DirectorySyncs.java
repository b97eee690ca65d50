package org.mailslot.spool.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directory fsyncs shared by the threads that need one at the same time, as the spool's commits
 * share theirs: a caller's entries (a rename into {@code new/}) are durable once an fsync of the
 * directory that began after they were made has ended. Callers arriving while an fsync runs join
 * the next one, which the first of them runs for all; so N deliveries into one Maildir at once cost
 * about two directory fsyncs, not N, and none is answered by an fsync that began before its rename.
 */
final class DirectorySyncs {

    private final SpoolIo io;
    private final Map<Path, Directory> directories = new ConcurrentHashMap<>();

    DirectorySyncs(SpoolIo io) {
        this.io = io;
    }

    /** Returns once an fsync of the directory that began after this call has succeeded. */
    void sync(Path directory) throws IOException {
        directories.computeIfAbsent(directory, Directory::new).sync();
    }

    /** One fsync of a directory and the callers it answers. */
    private static final class Round {
        boolean done;
        Exception failure;
    }

    private final class Directory {

        private final Path path;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ended = lock.newCondition();
        private boolean running;
        /** The round that callers join while one runs; it starts when that one ends. */
        private Round next;

        Directory(Path path) {
            this.path = path;
        }

        void sync() throws IOException {
            Round round;
            lock.lock();
            try {
                if (running) {
                    if (next == null) {
                        next = new Round();
                    }
                    round = next;
                    while (!round.done && running) {
                        ended.awaitUninterruptibly();
                    }
                    if (round.done) {
                        rethrow(round.failure);
                        return;
                    }
                    // The last one ended and nobody has started ours: this caller runs it.
                    next = null;
                } else {
                    round = new Round();
                }
                running = true;
            } finally {
                lock.unlock();
            }
            Exception failure = null;
            try {
                io.syncDirectory(path);
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                lock.lock();
                try {
                    round.done = true;
                    round.failure = failure;
                    running = false;
                    ended.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            rethrow(failure);
        }

        private void rethrow(Exception failure) throws IOException {
            if (failure instanceof IOException io) {
                throw new IOException("Could not fsync " + path + ": " + io.getMessage(), io);
            }
            if (failure != null) {
                throw new IOException("Could not fsync " + path + ": " + failure, failure);
            }
        }
    }
}
