package org.mailslot.spool.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;

/**
 * One message in the spool: its immutable envelope and file, and the delivery state that changes
 * (guarded by this object's monitor). The state is persisted next to the message as
 * {@code <id>.state}; losing an update to a crash means a recipient is tried again, never lost.
 */
final class SpoolEntry {

    final String id;
    final Envelope envelope;
    final Instant received;
    final Path file;
    final long bodyOffset;
    final long size;
    /** The segment whose record holds the message, or null when it has a file of its own. */
    final Segments.Segment segment;

    /** The delivery state as the last attempt (or the operator) left it. */
    private DeliveryState state;
    private boolean held;
    private boolean inFlight;
    private boolean deleted;
    /** A flush asked for while an attempt was under way: the attempt's end makes the message due. */
    private boolean flushedMidAttempt;
    /** What came while an attempt was under way: if the attempt ends waiting for one of these, the message is due. */
    private final EnumSet<WaitReason> arrivedMidAttempt = EnumSet.noneOf(WaitReason.class);

    SpoolEntry(String id, Envelope envelope, Instant received, Path file, long bodyOffset, long size) {
        this(id, envelope, received, file, null, bodyOffset, size);
    }

    SpoolEntry(String id, Envelope envelope, Instant received, Segments.Segment segment, long bodyOffset, long size) {
        this(id, envelope, received, segment.file(), segment, bodyOffset, size);
    }

    private SpoolEntry(String id, Envelope envelope, Instant received, Path file, Segments.Segment segment,
            long bodyOffset, long size) {
        this.id = id;
        this.envelope = envelope;
        this.received = received;
        this.file = file;
        this.segment = segment;
        this.bodyOffset = bodyOffset;
        this.size = size;
        this.state = new DeliveryState(0, received, Optional.empty(),
                envelope.recipients().stream().map(RecipientProgress::pending).toList());
    }

    Path stateFile() {
        return file.resolveSibling(id + ".state");
    }

    /** @return the message octets, as many times as a delivery needs them */
    MessageSource body() {
        return () -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(bodyOffset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new BoundedInputStream(Channels.newInputStream(channel), size);
        };
    }

    /** The message's octets and no more: a segment holds other records after it. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {

        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    synchronized QueueEntry snapshot() {
        List<RecipientState> recipients = new ArrayList<>(state.recipients().size());
        for (RecipientProgress r : state.recipients()) {
            recipients.add(new RecipientState(r.recipient().address(), r.status(), r.lastReply()));
        }
        Optional<String> lastError = state.waiting().map(Waiting::detail);
        Optional<Waiting> waiting = held ? Optional.of(new Waiting(WaitReason.HELD_BY_OPERATOR, lastError.orElse("held")))
                : state.waiting();
        return new QueueEntry(id, envelope.reversePath(), recipients, size, received, state.attempts(),
                held || inFlight ? Optional.empty() : Optional.of(state.nextAttempt()), lastError, held, waiting);
    }

    /** @return the delivery state */
    synchronized DeliveryState state() {
        return state;
    }

    /**
     * Takes the state an attempt left.
     *
     * @throws IllegalArgumentException if its recipients are not this message's, in envelope order
     */
    synchronized void apply(DeliveryState next) {
        check(next);
        state = next;
    }

    /** @throws IllegalArgumentException if the state's recipients are not this message's, in envelope order */
    void check(DeliveryState next) {
        List<RecipientProgress> recipients = next.recipients();
        if (recipients.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("The outcome of " + id + " has " + recipients.size() + " recipients, not "
                    + envelope.recipients().size());
        }
        for (int i = 0; i < recipients.size(); i++) {
            if (!recipients.get(i).recipient().address().equals(envelope.recipients().get(i).address())) {
                throw new IllegalArgumentException("The outcome of " + id + " names " + recipients.get(i).recipient().address()
                        + " where the envelope has " + envelope.recipients().get(i).address());
            }
        }
    }

    /** Claims the entry for a delivery attempt if it is due, not held and not already claimed. */
    synchronized boolean claimIfDue(Instant now) {
        if (held || inFlight || deleted || state.nextAttempt().isAfter(now)) {
            return false;
        }
        inFlight = true;
        flushedMidAttempt = false;
        arrivedMidAttempt.clear();
        return true;
    }

    /** @return true if the entry was deleted while it was claimed */
    synchronized boolean unclaim() {
        inFlight = false;
        return deleted;
    }

    /** @return whether nothing keeps it from its next attempt: not held, not under way, not deleted */
    synchronized boolean isIdle() {
        return !held && !inFlight && !deleted;
    }

    synchronized boolean isInFlight() {
        return inFlight;
    }

    /** @return the recipients not yet delivered or failed, in envelope order */
    synchronized List<Recipient> pending() {
        return state.recipients().stream().filter(r -> !r.status().isFinal()).map(RecipientProgress::recipient).toList();
    }

    /** @return why the last attempt did not finish the message, if it did not */
    synchronized Optional<Waiting> waiting() {
        return state.waiting();
    }

    synchronized void dueNow(Instant now) {
        if (state.nextAttempt().isAfter(now)) {
            state = new DeliveryState(state.attempts(), now, state.waiting(), state.recipients());
        }
    }

    /**
     * An operator's flush: due now, or, while an attempt is under way, as soon as it ends (whatever
     * backoff it sets).
     *
     * @return false if it is held or deleted, and stays as it is
     */
    synchronized boolean flush(Instant now) {
        if (held || deleted) {
            return false;
        }
        if (inFlight) {
            flushedMidAttempt = true;
        } else {
            dueNow(now);
        }
        return true;
    }

    /**
     * What the message may wait for has come: due now if its last attempt left it waiting for that;
     * while an attempt is under way, when it ends if it ends waiting for that.
     *
     * @return whether it was made due now
     */
    synchronized boolean arrived(WaitReason reason, Instant now) {
        if (inFlight) {
            arrivedMidAttempt.add(reason);
            return false;
        }
        if (held || deleted || state.waiting().filter(waiting -> waiting.reason() == reason).isEmpty()) {
            return false;
        }
        dueNow(now);
        return true;
    }

    /**
     * After the outcome of an attempt is applied: a flush, or the arrival of what it now waits for,
     * that came during the attempt makes it due now.
     *
     * @return whether it was made due now
     */
    synchronized boolean dueAfterAttempt(Instant now) {
        boolean due = flushedMidAttempt
                || state.waiting().filter(waiting -> arrivedMidAttempt.contains(waiting.reason())).isPresent();
        flushedMidAttempt = false;
        arrivedMidAttempt.clear();
        if (!due || !state.nextAttempt().isAfter(now)) {
            return false;
        }
        dueNow(now);
        return true;
    }

    synchronized void hold(boolean hold, Instant now) {
        held = hold;
        if (!hold) {
            state = new DeliveryState(state.attempts(), now, state.waiting(), state.recipients());
        }
    }

    synchronized boolean isHeld() {
        return held;
    }

    synchronized Instant nextAttempt() {
        return state.nextAttempt();
    }

    /** @return true if it can be removed now; else the delivery under way removes it when done */
    synchronized boolean markDeleted() {
        deleted = true;
        return !inFlight;
    }

    synchronized boolean isDeleted() {
        return deleted;
    }

    /** The state file: the keys of every version before the queue-store SPI, so a spool written by one reads alike. */
    synchronized byte[] encodeState() {
        PropertyLines p = new PropertyLines()
                .put("attempts", state.attempts())
                .put("next", state.nextAttempt().toString())
                .put("held", Boolean.toString(held));
        state.waiting().ifPresent(waiting -> {
            p.put("error", waiting.detail());
            if (waiting.reason() != WaitReason.UNSPECIFIED) {
                p.put("wait", waiting.reason().name());
            }
        });
        List<RecipientProgress> recipients = state.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            RecipientProgress r = recipients.get(i);
            p.put("rcpt." + i + ".status", r.status().name());
            if (r.lastReply().isPresent()) {
                p.put("rcpt." + i + ".reply", r.lastReply().get());
            }
            if (r.waiting().isPresent()) {
                p.put("rcpt." + i + ".wait", r.waiting().get().reason().name());
            }
            if (r.nextHopStatus().isPresent()) {
                p.put("rcpt." + i + ".smtp.status", r.nextHopStatus().get());
            }
            if (r.delayNoticed()) {
                p.put("rcpt." + i + ".delay.noticed", "true");
            }
        }
        return p.toBytes();
    }

    synchronized void decodeState(byte[] encoded) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(encoded));
        try {
            int attempts = Integer.parseInt(p.getProperty("attempts", "0"));
            Instant next = Instant.parse(p.getProperty("next", received.toString()));
            boolean held = Boolean.parseBoolean(p.getProperty("held", "false"));
            String lastError = p.getProperty("error");
            // A state written before reasons were kept names none: the text says it, read once here.
            Optional<Waiting> waiting = Optional.ofNullable(lastError).map(error -> new Waiting(p.containsKey("wait")
                    ? WaitReason.valueOf(p.getProperty("wait")) : LegacyState.reasonOf(error), error));
            List<RecipientProgress> recipients = new ArrayList<>(envelope.recipients().size());
            for (int i = 0; i < envelope.recipients().size(); i++) {
                Status status = Status.valueOf(p.getProperty("rcpt." + i + ".status", Status.PENDING.name()));
                String reply = p.getProperty("rcpt." + i + ".reply");
                String wait = p.getProperty("rcpt." + i + ".wait");
                boolean legacy = wait == null && status == Status.DEFERRED && reply != null;
                WaitReason reason = wait != null ? WaitReason.valueOf(wait) : legacy ? LegacyState.reasonOf(reply) : null;
                String smtpStatus = legacy ? LegacyState.smtpStatusOf(reply) : p.getProperty("rcpt." + i + ".smtp.status");
                recipients.add(new RecipientProgress(envelope.recipients().get(i), status, Optional.ofNullable(reply),
                        reason == null || reply == null ? Optional.empty() : Optional.of(new Waiting(reason, reply)),
                        Optional.ofNullable(smtpStatus),
                        Boolean.parseBoolean(p.getProperty("rcpt." + i + ".delay.noticed", "false"))));
            }
            this.state = new DeliveryState(attempts, next, waiting, recipients);
            this.held = held;
        } catch (RuntimeException e) {
            throw new IOException("Unreadable state of " + id + ": " + e.getMessage(), e);
        }
    }
}
