package org.mailslot.spool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * with the attempt or the process), and records each outcome in the message's state file, written
 * but not forced (a crash repeats an attempt; an operator's hold is forced). The notices of an
 * outcome are committed first, so a crash in between repeats a notice and never loses one.
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
        while (true) {
            Optional<SpoolEntry> next = queue.takeDue(now);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            SpoolEntry entry = next.get();
            if (entry.claimIfDue(now)) {
                return Optional.of(new FileLease(entry));
            }
            if (entry.isIdle()) {
                queue.put(entry);
            }
            // Held, deleted or leased: whoever releases it or ends the lease puts it back.
        }
    }

    @Override
    public int dueNow(WaitReason waitingFor) {
        Instant now = clock.instant();
        int count = 0;
        for (SpoolEntry entry : spool.entries()) {
            if (entry.waiting().filter(waiting -> waiting.reason() == waitingFor).isPresent() && entry.isIdle()) {
                entry.dueNow(now);
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
            if (!entry.isHeld()) {
                entry.dueNow(now);
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
        entry.filter(e -> !e.isHeld()).ifPresent(e -> {
            e.dueNow(clock.instant());
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

    /** A message claimed by this process: the claim is the lease, and ends with the attempt or the process. */
    private final class FileLease implements Lease {

        private final SpoolEntry entry;
        private final DeliveryState state;
        private boolean ended;

        FileLease(SpoolEntry entry) {
            this.entry = entry;
            this.state = entry.state();
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
            return Instant.MAX;
        }

        @Override
        public boolean renew(Duration by) {
            return !ended;
        }

        @Override
        public void finish(AttemptOutcome outcome) throws IOException {
            if (ended) {
                throw new IllegalStateException("The lease on " + entry.id + " has ended");
            }
            if (spool.isClosed()) {
                throw new LeaseLostException("The spool is closed");
            }
            for (Notice notice : outcome.notices()) {
                enqueue(notice, entry.id);
            }
            entry.apply(outcome.state());
            ended = true;
            if (outcome.state().isFinished()) {
                entry.unclaim();
                removeQuietly();
                return;
            }
            if (outcome.durable()) {
                try {
                    spool.saveState(entry, false);
                } catch (UncheckedIOException e) {
                    // Only an earlier state after a crash: the recipients are tried again.
                    LOG.warn("{}", e.getMessage());
                }
            }
            end();
        }

        @Override
        public void putBack() {
            if (ended) {
                throw new IllegalStateException("The lease on " + entry.id + " has ended");
            }
            ended = true;
            end();
        }

        private void end() {
            if (entry.unclaim()) {
                removeQuietly();
            } else if (spool.entry(entry.id).orElse(null) == entry) {
                queue(entry);
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

    @Override
    public String toString() {
        return "file store " + spool;
    }
}
