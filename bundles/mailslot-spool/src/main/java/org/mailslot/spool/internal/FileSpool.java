package org.mailslot.spool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionException.Reason;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.support.files.OwnerOnly;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent;
import org.mailslot.support.maillog.MessageIdField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool on a local file system.
 *
 * <p>Layout: a message of up to {@link NonBlockingSubmission#SMALL_MESSAGE} octets is held in memory while it arrives
 * and committed as a record appended to the current segment, {@code queue/<time>-<n>.seg}, where
 * one fsync makes every record of a group durable. A larger one streams to {@code tmp/<id>} and is
 * committed as {@code queue/<id>.msg} (envelope head and message in one file, so one rename makes
 * both visible), its fsync in the caller's thread. The {@link GroupCommitter} does the appends, the
 * renames and one directory fsync per round for all of them. {@code queue/<id>.state} holds the
 * delivery state once there is any. On start everything in {@code tmp/} is deleted (never
 * acknowledged) and everything in {@code queue/} recovered.
 */
final class FileSpool implements NonBlockingSubmission, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);
    private static final int BUFFER = 64 * 1024;
    /**
     * Free space from which a begin trusts the last look for {@link #LOOK_AGAIN_NANOS} (one statvfs, not
     * one per message): with that much room a message that fills the disk meets a failed write, which is
     * answered as a full disk too. Below it every begin looks.
     */
    private static final long PLENTY = 64L * 1024 * 1024;
    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path tmp;
    private final Path queue;
    private final long maxSize;
    private final SpoolIo io;
    private final Clock clock;
    private final Segments segments;
    private final GroupCommitter committer;
    /** Looked up once: finding a path's file store parses the mount table, asking it for space is one statvfs. */
    private final FileStore store;
    private final Map<String, SpoolEntry> entries = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
    private volatile Consumer<SpoolEntry> onCommit = entry -> {
    };
    private volatile boolean closed;
    /** Until when (System.nanoTime) the last look at the free space found plenty. */
    private volatile long plentyUntil = System.nanoTime();

    FileSpool(Path directory, long maxSize, SpoolIo io, Clock clock) throws IOException {
        this.tmp = directory.resolve("tmp");
        this.queue = directory.resolve("queue");
        this.maxSize = maxSize;
        this.io = io;
        this.clock = clock;
        OwnerOnly.directory(directory, "spool.directory");
        OwnerOnly.directory(tmp, "spool.directory");
        OwnerOnly.directory(queue, "spool.directory");
        this.store = Files.getFileStore(tmp);
        this.segments = new Segments(queue, io);
        recover();
        this.committer = new GroupCommitter(io, queue, segments);
    }

    void onCommit(Consumer<SpoolEntry> listener) {
        this.onCommit = listener;
    }

    private void recover() throws IOException {
        try (DirectoryStream<Path> incomplete = Files.newDirectoryStream(tmp)) {
            for (Path file : incomplete) {
                Files.deleteIfExists(file);
            }
        }
        int recovered = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(queue)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".state.new")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(".msg")) {
                    recovered += recover(file) ? 1 : 0;
                } else if (name.endsWith(Segments.SUFFIX)) {
                    recovered += recoverSegment(file);
                }
            }
        }
        try (DirectoryStream<Path> doneLogs = Files.newDirectoryStream(queue, "*" + Segments.SUFFIX + Segments.DONE_SUFFIX)) {
            for (Path done : doneLogs) {
                String name = done.getFileName().toString();
                if (!Files.exists(done.resolveSibling(name.substring(0, name.length() - Segments.DONE_SUFFIX.length())))) {
                    Files.deleteIfExists(done);
                }
            }
        }
        // A state without its message belongs to a message finished before a crash.
        try (DirectoryStream<Path> states = Files.newDirectoryStream(queue, "*.state")) {
            for (Path state : states) {
                String id = state.getFileName().toString().replaceFirst("\\.state$", "");
                if (!entries.containsKey(id)) {
                    Files.deleteIfExists(state);
                }
            }
        }
        if (recovered > 0) {
            LOG.info("Recovered {} messages from the spool in {}", recovered, queue);
        }
    }

    private int recoverSegment(Path file) throws IOException {
        java.util.Set<String> finished = Segments.finishedIn(file);
        List<Segments.Recovered> records = segments.recover(file);
        int unfinished = 0;
        for (Segments.Recovered record : records) {
            EnvelopeCodec.Head head;
            try {
                head = EnvelopeCodec.decode(new java.io.ByteArrayInputStream(record.content()));
            } catch (IOException e) {
                // Its checksum held, so this is no torn write: keep the segment for the operator.
                LOG.error("A record in spool segment {} has an unreadable envelope ({}); the segment is kept",
                        file, e.getMessage());
                unfinished++;
                continue;
            }
            if (finished.contains(head.id()) || entries.containsKey(head.id())) {
                continue;
            }
            SpoolEntry entry = new SpoolEntry(head.id(), head.envelope(), head.received(), record.segment(),
                    record.contentOffset() + head.bodyOffset(), record.content().length - head.bodyOffset());
            recoverState(entry);
            entries.put(entry.id, entry);
            unfinished++;
        }
        if (!records.isEmpty()) {
            Segments.keep(records.get(0).segment(), unfinished);
        }
        return unfinished;
    }

    private void recoverState(SpoolEntry entry) throws IOException {
        Path state = entry.stateFile();
        if (Files.exists(state)) {
            try {
                entry.decodeState(Files.readAllBytes(state));
            } catch (IOException e) {
                LOG.warn("Delivery state of {} is unreadable ({}); every recipient will be tried again", entry.id, e.getMessage());
            }
        }
    }

    private boolean recover(Path file) throws IOException {
        EnvelopeCodec.Head head;
        try (InputStream in = Files.newInputStream(file)) {
            head = EnvelopeCodec.decode(in);
        } catch (IOException e) {
            // Never delete what may be acknowledged mail: set it aside for the operator.
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.error("Spool file {} is unreadable ({}); moved to {}", file, e.getMessage(), aside);
            Files.move(file, aside);
            return false;
        }
        SpoolEntry entry = new SpoolEntry(head.id(), head.envelope(), head.received(), file, head.bodyOffset(),
                Files.size(file) - head.bodyOffset());
        recoverState(entry);
        entries.put(entry.id, entry);
        return true;
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        if (closed) {
            throw new SubmissionException(Reason.UNAVAILABLE, "The spool is stopping");
        }
        if (System.nanoTime() - plentyUntil >= 0 && lacksSpace(BUFFER)) {
            throw new SubmissionException(Reason.STORAGE_FULL, "Spool storage is full: less than " + BUFFER / 1024
                    + " KiB free in " + tmp);
        }
        Instant received = clock.instant();
        String id = id(received.toEpochMilli(), sequence.getAndIncrement() & 0xFFFFF);
        Writer writer = new Writer(id, envelope, received, tmp.resolve(id));
        writer.writeHead(EnvelopeCodec.encode(id, received, envelope));
        return writer;
    }

    /** @return {@code String.format("%011X%05X", millis, sequence)}, without a formatter on the listener's loop */
    static String id(long millis, long sequence) {
        char[] id = new char[16];
        for (int i = 15; i >= 11; i--, sequence >>>= 4) {
            id[i] = Character.toUpperCase(Character.forDigit((int) (sequence & 0xF), 16));
        }
        for (int i = 10; i >= 0; i--, millis >>>= 4) {
            id[i] = Character.toUpperCase(Character.forDigit((int) (millis & 0xF), 16));
        }
        return new String(id);
    }

    /**
     * Full or failing: the file system says which, not the exception's message, whose words follow
     * the locale. A failed write or fsync with less room left than one buffer is a full disk.
     */
    private SubmissionException storageFailure(String what, IOException e) {
        String message = String.valueOf(e.getMessage());
        plentyUntil = System.nanoTime();
        boolean full = lacksSpace(BUFFER);
        return new SubmissionException(full ? Reason.STORAGE_FULL : Reason.UNAVAILABLE,
                (full ? "Spool storage is full: " : what + ": ") + message, e);
    }

    private boolean lacksSpace(long needed) {
        try {
            long usable = store.getUsableSpace();
            if (usable >= PLENTY) {
                plentyUntil = System.nanoTime() + LOOK_AGAIN_NANOS;
            }
            return usable < needed;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A message arriving: held in memory while it fits a segment record, else streamed to
     * {@code tmp/} and committed by rename.
     */
    private final class Writer implements NonBlockingWriter {

        private final String id;
        private final Envelope envelope;
        private final Instant received;
        private final Path file;
        private SpoolIo.SpoolFile out;
        /** The record line's room, the head, the message: in memory while it is small. */
        private ByteBuffer buffer = ByteBuffer.allocate(8 * 1024).position(Segments.RECORD_LINE);
        private int memoryLimit;
        private long headLength;
        private long size;
        private SubmissionException failure;
        /** The answer to {@link #commitAsync} of a message still in memory. */
        private final CompletableFuture<SubmissionReceipt> receipt = new CompletableFuture<>();
        private boolean open = true;
        private boolean committed;

        Writer(String id, Envelope envelope, Instant received, Path file) {
            this.id = id;
            this.envelope = envelope;
            this.received = received;
            this.file = file;
        }

        void writeHead(byte[] head) throws SubmissionException {
            headLength = head.length;
            memoryLimit = Segments.RECORD_LINE + head.length + SMALL_MESSAGE;
            try {
                append(head, 0, head.length);
            } catch (SubmissionException e) {
                close();
                throw e;
            }
        }

        @Override
        public void write(byte[] octets, int offset, int length) throws SubmissionException {
            check();
            if (size + length > maxSize) {
                fail(new SubmissionException(Reason.TOO_LARGE, "Message exceeds the size limit of " + maxSize + " octets"));
            }
            size += length;
            append(octets, offset, length);
        }

        private void append(byte[] octets, int offset, int length) throws SubmissionException {
            while (length > 0) {
                if (!buffer.hasRemaining()) {
                    if (out == null && buffer.capacity() < memoryLimit) {
                        // At once to what this write needs: a message handed over whole grows it once.
                        int wanted = Math.max(buffer.capacity() * 2, buffer.position() + length);
                        buffer = ByteBuffer.allocate(Math.min(wanted, memoryLimit)).put(buffer.flip());
                        continue;
                    }
                    flush();
                }
                int n = Math.min(length, buffer.remaining());
                buffer.put(octets, offset, n);
                offset += n;
                length -= n;
            }
        }

        /** Writes the buffer to the message's own file, which it creates first: the message is too large for a record. */
        private void flush() throws SubmissionException {
            boolean first = out == null;
            if (first) {
                identify();
                try {
                    out = io.create(file);
                } catch (IOException e) {
                    fail(storageFailure("Could not create a spool file", e));
                }
            }
            buffer.flip();
            if (first) {
                // What was in memory, without the record line's room.
                buffer.position(Segments.RECORD_LINE);
            }
            try {
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            } catch (IOException e) {
                fail(storageFailure("Could not write to the spool", e));
            } finally {
                buffer.clear();
            }
        }

        private void check() throws SubmissionException {
            if (failure != null) {
                throw failure;
            }
            if (!open) {
                throw new IllegalStateException("The message writer is closed");
            }
        }

        private void fail(SubmissionException e) throws SubmissionException {
            failure = e;
            discard();
            throw e;
        }

        @Override
        public SubmissionReceipt commit() throws SubmissionException {
            check();
            if (committed) {
                throw new IllegalStateException("Already committed");
            }
            if (out == null) {
                // Still in memory: the same record append as commitAsync's, waited for until delivery has
                // the message too, so that a caller who got the receipt finds it scheduled.
                return await(appendRecord(), "Could not commit the message");
            }
            flush();
            try {
                out.force();
                out.close();
            } catch (IOException e) {
                fail(storageFailure("Could not make the message durable", e));
            }
            Path target = queue.resolve(id + ".msg");
            await(committer.commit(file, target), "Could not commit the message");
            SpoolEntry entry = new SpoolEntry(id, envelope, received, target, headLength, size);
            committed = true;
            open = false;
            buffer = null;
            return accepted(entry);
        }

        @Override
        public CompletionStage<SubmissionReceipt> commitAsync(Executor blocking) {
            if (out != null || failure != null || !open || committed) {
                return NonBlockingWriter.super.commitAsync(blocking);
            }
            appendRecord();
            return receipt;
        }

        /**
         * Appends the message's record through the committer; {@link #receipt} completes once it is
         * durable, before the message is handed to delivery (whose worker wake-up would otherwise
         * delay the answer, and the next group's fsync behind it).
         *
         * @return completed after the hand-off to delivery too
         */
        private CompletableFuture<SubmissionReceipt> appendRecord() {
            committed = true;
            identify();
            CompletableFuture<SubmissionReceipt> handedOn = new CompletableFuture<>();
            committer.append(Segments.frame(buffer.array(), buffer.position())).whenComplete((location, error) -> {
                open = false;
                buffer = null;
                if (error != null) {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    SubmissionException refused = cause instanceof IOException io
                            ? storageFailure("Could not commit the message", io)
                            : new SubmissionException(Reason.UNAVAILABLE, "Could not commit the message: " + cause, cause);
                    receipt.completeExceptionally(refused);
                    handedOn.completeExceptionally(refused);
                    return;
                }
                SpoolEntry entry = new SpoolEntry(id, envelope, received, location.segment(),
                        location.contentOffset() + headLength, size);
                entries.put(id, entry);
                SubmissionReceipt done = new SubmissionReceipt(id, clock.instant(), size);
                receipt.complete(done);
                onCommit.accept(entry);
                handedOn.complete(done);
            });
            return handedOn;
        }

        /**
         * The mail log's line of the message's {@code Message-ID}, from the start of the message while it
         * is in memory: as Postfix's cleanup, while the message arrives.
         */
        private void identify() {
            if (MailLog.logs(MailLogEvent.Service.CLEANUP)) {
                int start = Segments.RECORD_LINE + (int) headLength;
                MailLog.log(new MailLogEvent.Identified(id, MessageIdField.of(buffer.array(), start, buffer.position())));
            }
        }

        private SubmissionReceipt accepted(SpoolEntry entry) {
            entries.put(id, entry);
            onCommit.accept(entry);
            return new SubmissionReceipt(id, clock.instant(), size);
        }

        private <T> T await(CompletableFuture<T> done, String what) throws SubmissionException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return done.get();
                    } catch (InterruptedException e) {
                        // The commit may already be under way; its outcome must be the answer.
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        fail(cause instanceof SubmissionException refused ? refused
                                : cause instanceof IOException io ? storageFailure(what, io)
                                : new SubmissionException(Reason.UNAVAILABLE, what + ": " + cause, cause));
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void discard() {
            if (!open) {
                return;
            }
            open = false;
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", file, e.toString());
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not delete the discarded spool file {}: {}", file, e.toString());
            }
        }

        @Override
        public void close() {
            if (!committed) {
                discard();
            }
        }
    }

    /** @return the entries, oldest first */
    List<SpoolEntry> entries() {
        List<SpoolEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing((SpoolEntry e) -> e.received).thenComparing(e -> e.id));
        return list;
    }

    Optional<SpoolEntry> entry(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    int depth() {
        return entries.size();
    }

    /**
     * Persists the delivery state. An update that a crash loses only means that a recipient is tried
     * again (at least once, never lost), so the outcome of an attempt is not forced to disk: that fsync
     * per attempt would compete with acknowledging new mail. What an operator decides (a hold) is.
     */
    void saveState(SpoolEntry entry, boolean durable) {
        if (!entries.containsKey(entry.id)) {
            return;
        }
        try {
            io.replace(entry.stateFile(), entry.encodeState(), durable);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the delivery state of " + entry.id, e);
        }
    }

    /** Removes a finished or deleted message from the spool. */
    void remove(SpoolEntry entry) {
        entries.remove(entry.id);
        try {
            Files.deleteIfExists(entry.stateFile());
            if (entry.segment == null) {
                Files.deleteIfExists(entry.file);
            } else {
                entry.segment.finished(entry.id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + entry.id + " from the spool", e);
        }
        MailLog.log(new MailLogEvent.Removed(entry.id));
    }

    /** @return the directory fsync rounds completed so far: fewer than the commits when grouping works */
    long commitRounds() {
        return committer.rounds();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return queue.getParent().toString();
    }

    @Override
    public void close() {
        closed = true;
        committer.close();
        segments.close();
    }
}
