package org.mailslot.spool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.LeaseLostException;
import org.mailslot.api.queue.Notice;
import org.mailslot.api.queue.QueueConsumer;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue on a local disk: the segment files and message files of {@link FileSpool} behind the
 * {@link QueueStore} SPI. It keeps the due messages of each lane in a {@link DueQueue} in memory
 * (rebuilt from the files at start), leases them to the one process that runs it (a lease ends
 * with the attempt, the process, or its lease time: an attempt that hangs gives its message back),
 * and records each outcome in the message's state file, written but not forced (a crash repeats an
 * attempt; an operator's hold is forced). The notices of an outcome are committed first, so a crash
 * in between repeats a notice and never loses one. A flush, or the arrival of what a message waits
 * for, during an attempt takes effect when the attempt ends.
 */
@Component(name = FileQueueStore.NAME, service = QueueStore.class, configurationPid = SpoolComponent.PID,
        property = QueueStore.STORE + "=" + FileQueueStore.KIND)
public final class FileQueueStore implements QueueStore {

    static final String NAME = "org.mailslot.queue.file";
    static final String KIND = "file";
    private static final Logger LOG = LoggerFactory.getLogger(FileQueueStore.class);
    private static final int BUFFER = 64 * 1024;

    private final FileSpool spool;
    private final Clock clock;
    private final Map<Lane, DueQueue> due = new EnumMap<>(Lane.class);
    /** The leases not yet ended, for their expiry (guarded by itself). */
    private final Set<FileLease> leases = new HashSet<>();
    /** No lease expires before this: {@link #take} looks for expired ones only from then. */
    private volatile Instant nextExpiry = Instant.MAX;
    private volatile QueueConsumer consumer;

    @Activate
    public FileQueueStore(DeliveryConfig config) throws IOException {
        this(Settings.from(config, System.getProperty("karaf.data")), SpoolIo.SYSTEM, Clock.systemUTC());
    }

    FileQueueStore(Settings settings, SpoolIo io, Clock clock) throws IOException {
        this(new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), io, clock), clock);
    }

    FileQueueStore(FileSpool spool, Clock clock) {
        this.spool = spool;
        this.clock = clock;
        for (Lane lane : Lane.values()) {
            due.put(lane, new DueQueue());
        }
        spool.onCommit(this::committed);
    }

    /** @return the files underneath, for tests */
    FileSpool spool() {
        return spool;
    }

    @Deactivate
    public void close() {
        spool.close();
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        return spool.begin(envelope);
    }

    private void committed(SpoolEntry entry) {
        QueueConsumer attached = consumer;
        if (attached != null) {
            tell(attached, queue(entry, attached));
        }
    }

    @Override
    public AutoCloseable attach(QueueConsumer attaching) {
        synchronized (due) {
            if (consumer != null) {
                throw new IllegalStateException("A consumer is attached to the spool in " + spool + " already");
            }
            consumer = attaching;
        }
        // Recovered before any consumer was there: classified now. A commit meanwhile is queued twice, harmlessly.
        spool.entries().forEach(entry -> queue(entry, attaching));
        return () -> {
            synchronized (due) {
                if (consumer == attaching) {
                    consumer = null;
                }
            }
        };
    }

    /** Puts the entry in its lane's due queue, out of the other's. */
    private Lane queue(SpoolEntry entry, QueueConsumer attached) {
        List<Recipient> pending = entry.pending();
        // A message whose every recipient is done is removed by the next attempt, which any lane can run.
        Lane lane = pending.isEmpty() ? Lane.REMOTE : attached.laneOf(pending);
        for (Map.Entry<Lane, DueQueue> queue : due.entrySet()) {
            if (queue.getKey() != lane) {
                queue.getValue().remove(entry);
            }
        }
        due.get(lane).put(entry);
        return lane;
    }

    private void queue(SpoolEntry entry) {
        QueueConsumer attached = consumer;
        if (attached != null) {
            queue(entry, attached);
        }
    }

    private static void tell(QueueConsumer attached, Lane lane) {
        try {
            attached.due(lane);
        } catch (RuntimeException e) {
            LOG.warn("The queue's consumer failed to take due messages", e);
        }
    }

    @Override
    public Optional<Lease> take(Lane lane, Duration leaseTime) {
        if (consumer == null) {
            throw new IllegalStateException("No consumer is attached");
        }
        DueQueue queue = due.get(lane);
        Instant now = clock.instant();
        if (!now.isBefore(nextExpiry)) {
            expireLeases(now);
        }
        while (true) {
            Optional<SpoolEntry> next = queue.takeDue(now);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            SpoolEntry entry = next.get();
            if (entry.claimIfDue(now)) {
                FileLease lease = new FileLease(entry, plus(now, leaseTime));
                synchronized (leases) {
                    leases.add(lease);
                    if (lease.expires.isBefore(nextExpiry)) {
                        nextExpiry = lease.expires;
                    }
                }
                return Optional.of(lease);
            }
            if (entry.isIdle()) {
                queue.put(entry);
            }
            // Held, deleted or leased: whoever releases it or ends the lease puts it back.
        }
    }

    private static Instant plus(Instant now, Duration leaseTime) {
        try {
            return now.plus(leaseTime);
        } catch (java.time.DateTimeException | ArithmeticException beyondTime) {
            return Instant.MAX;
        }
    }

    /** Gives the messages of expired leases out again, as they were before the lease. */
    private void expireLeases(Instant now) {
        List<FileLease> expired;
        synchronized (leases) {
            expired = leases.stream().filter(lease -> !now.isBefore(lease.expires)).toList();
            nextExpiry = leases.stream().map(lease -> lease.expires).filter(now::isBefore).min(Instant::compareTo)
                    .orElse(Instant.MAX);
        }
        expired.forEach(lease -> lease.expire(now));
    }

    @Override
    public int dueNow(WaitReason waitingFor) {
        Instant now = clock.instant();
        int count = 0;
        for (SpoolEntry entry : spool.entries()) {
            if (entry.arrived(waitingFor, now)) {
                queue(entry);
                count++;
            }
        }
        tellEveryLane();
        return count;
    }

    private void tellEveryLane() {
        QueueConsumer attached = consumer;
        if (attached != null) {
            for (Lane lane : Lane.values()) {
                tell(attached, lane);
            }
        }
    }

    @Override
    public List<QueueEntry> list() {
        return spool.entries().stream().map(SpoolEntry::snapshot).toList();
    }

    @Override
    public Optional<QueueEntry> entry(String id) {
        return spool.entry(id).map(SpoolEntry::snapshot);
    }

    @Override
    public boolean hold(String id) {
        return change(id, entry -> entry.hold(true, clock.instant()));
    }

    @Override
    public boolean release(String id) {
        boolean found = change(id, entry -> {
            entry.hold(false, clock.instant());
            queue(entry);
        });
        if (found) {
            tellEveryLane();
        }
        return found;
    }

    /** An operator's decision is forced to disk before the command returns. */
    private boolean change(String id, Consumer<SpoolEntry> change) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.ifPresent(e -> {
            change.accept(e);
            spool.saveState(e, true);
        });
        return entry.isPresent();
    }

    @Override
    public boolean delete(String id) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.filter(SpoolEntry::markDeleted).ifPresent(spool::remove);
        return entry.isPresent();
    }

    @Override
    public int flush() {
        Instant now = clock.instant();
        int count = 0;
        for (SpoolEntry entry : spool.entries()) {
            if (entry.flush(now)) {
                queue(entry);
                count++;
            }
        }
        tellEveryLane();
        return count;
    }

    @Override
    public boolean flush(String id) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.filter(e -> e.flush(clock.instant())).ifPresent(e -> {
            queue(e);
            tellEveryLane();
        });
        return entry.isPresent();
    }

    @Override
    public Optional<MessageSource> content(String id) {
        return spool.entry(id).map(SpoolEntry::body);
    }

    @Override
    public int depth() {
        return spool.depth();
    }

    /** Commits a notice as any message is committed: durable when this returns. */
    private void enqueue(Notice notice, String about) throws IOException {
        try (MessageWriter writer = spool.begin(notice.envelope()); InputStream in = notice.message().open()) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                writer.write(buffer, 0, n);
            }
            String queued = writer.commit().id();
            MailLog.log(new MailLogEvent.Notified(about, switch (notice.kind()) {
                case NON_DELIVERY -> MailLogEvent.Notification.NON_DELIVERY;
                case DELAY -> MailLogEvent.Notification.DELAY;
                case SUCCESS -> MailLogEvent.Notification.SUCCESS;
            }, queued));
        } catch (SubmissionException e) {
            throw new IOException("Could not queue a notice to " + notice.envelope().recipients().get(0).address() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A message claimed by this process: the claim is the lease. It ends with the attempt or the
     * process, or is lost when it expires unfinished; then the message is given out again as it was.
     */
    private final class FileLease implements Lease {

        private final SpoolEntry entry;
        private final DeliveryState state;
        /** Read without the lock by the expiry look; changed under it. */
        private volatile Instant expires;
        private Hold hold = Hold.HELD;

        FileLease(SpoolEntry entry, Instant expires) {
            this.entry = entry;
            this.state = entry.state();
            this.expires = expires;
        }

        @Override
        public String id() {
            return entry.id;
        }

        @Override
        public Envelope envelope() {
            return entry.envelope;
        }

        @Override
        public Instant acceptedAt() {
            return entry.received;
        }

        @Override
        public long size() {
            return entry.size;
        }

        @Override
        public MessageSource message() {
            return entry.body();
        }

        @Override
        public DeliveryState state() {
            return state;
        }

        @Override
        public Instant expires() {
            return expires;
        }

        @Override
        public boolean renew(Duration by) {
            Instant now = clock.instant();
            synchronized (this) {
                if (hold == Hold.HELD && now.isBefore(expires)) {
                    expires = plus(now, by);
                    return true;
                }
            }
            expire(now);
            return false;
        }

        /** Loses the lease if it has expired, and gives the message out again. */
        void expire(Instant now) {
            synchronized (this) {
                if (hold != Hold.HELD || now.isBefore(expires)) {
                    return;
                }
                hold = Hold.LOST;
            }
            LOG.warn("The lease on {} expired at {} before its attempt ended; the message is due again", entry.id,
                    expires);
            release();
        }

        @Override
        public void finish(AttemptOutcome outcome) throws IOException {
            Instant now = clock.instant();
            boolean holds;
            synchronized (this) {
                if (hold == Hold.ENDED) {
                    throw new IllegalStateException("The lease on " + entry.id + " has ended");
                }
                holds = hold == Hold.HELD && !spool.isClosed() && now.isBefore(expires);
                if (holds) {
                    hold = Hold.FINISHING;
                }
            }
            if (!holds) {
                expire(now);
                throw new LeaseLostException("The lease on " + entry.id + (spool.isClosed() ? ": the spool is closed"
                        : " expired at " + expires + "; the message was given out again") + ". Nothing was recorded.");
            }
            try {
                entry.check(outcome.state());
                for (Notice notice : outcome.notices()) {
                    enqueue(notice, entry.id);
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    hold = Hold.HELD;
                }
                throw e;
            }
            entry.apply(outcome.state());
            synchronized (this) {
                hold = Hold.ENDED;
            }
            if (outcome.state().isFinished()) {
                forget();
                entry.unclaim();
                removeQuietly();
                return;
            }
            boolean dueNow = entry.dueAfterAttempt(clock.instant());
            if (outcome.durable() || dueNow) {
                try {
                    spool.saveState(entry, false);
                } catch (UncheckedIOException e) {
                    // Only an earlier state after a crash: the recipients are tried again.
                    LOG.warn("{}", e.getMessage());
                }
            }
            Lane lane = release();
            QueueConsumer attached = consumer;
            if (dueNow && lane != null && attached != null) {
                // A flush or a wake the consumer asked for while the attempt was under way: it does not know.
                tell(attached, lane);
            }
        }

        @Override
        public void putBack() {
            synchronized (this) {
                if (hold == Hold.ENDED) {
                    throw new IllegalStateException("The lease on " + entry.id + " has ended");
                }
                boolean lost = hold == Hold.LOST;
                hold = Hold.ENDED;
                if (lost) {
                    return;
                }
            }
            release();
        }

        /** @return the lane the message is due in again, or null if it left the queue */
        private Lane release() {
            forget();
            if (entry.unclaim()) {
                removeQuietly();
                return null;
            }
            QueueConsumer attached = consumer;
            if (attached != null && spool.entry(entry.id).orElse(null) == entry) {
                return queue(entry, attached);
            }
            return null;
        }

        private void forget() {
            synchronized (leases) {
                leases.remove(this);
            }
        }

        private void removeQuietly() {
            try {
                spool.remove(entry);
            } catch (UncheckedIOException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
    }

    /** Where a lease stands; only its holder ends it, the expiry look may lose it first. */
    private enum Hold {
        HELD,
        /** Its outcome is being recorded: it no longer expires. */
        FINISHING,
        LOST,
        ENDED
    }

    @Override
    public String toString() {
        return "file store " + spool;
    }
}
