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
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
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

    private final Status[] status;
    private final String[] reply;
    /**
     * What a deferred recipient waits for; null for one not deferred. Made at the first deferral
     * (as {@link #smtpStatus}): a message delivered at its first attempt never needs them.
     */
    private WaitReason[] waitReason;
    /**
     * The enhanced status of a next hop's 4xx reply deferring the recipient, for its delay notice:
     * empty when the reply had none, null when no such reply deferred it.
     */
    private String[] smtpStatus;
    /** Whether the sender was told of the delay for that recipient; once is enough. */
    private final boolean[] delayNoticed;
    private int attempts;
    private Instant nextAttempt;
    private String lastError;
    private WaitReason lastReason;
    private boolean held;
    private boolean inFlight;
    private boolean deleted;

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
        this.status = new Status[envelope.recipients().size()];
        this.reply = new String[status.length];
        this.delayNoticed = new boolean[status.length];
        java.util.Arrays.fill(status, Status.PENDING);
        this.nextAttempt = received;
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
        List<RecipientState> recipients = new ArrayList<>(status.length);
        for (int i = 0; i < status.length; i++) {
            recipients.add(new RecipientState(envelope.recipients().get(i).address(), status[i], Optional.ofNullable(reply[i])));
        }
        Optional<Waiting> waiting = held ? Optional.of(new Waiting(WaitReason.HELD_BY_OPERATOR,
                lastError == null ? "held" : lastError)) : Optional.ofNullable(waiting());
        return new QueueEntry(id, envelope.reversePath(), recipients, size, received, attempts,
                held || inFlight ? Optional.empty() : Optional.of(nextAttempt), Optional.ofNullable(lastError), held,
                waiting);
    }

    /** Claims the entry for a delivery attempt if it is due, not held and not already claimed. */
    synchronized boolean claimIfDue(Instant now) {
        if (held || inFlight || deleted || nextAttempt.isAfter(now)) {
            return false;
        }
        inFlight = true;
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
        List<Recipient> pending = new ArrayList<>();
        for (int i = 0; i < status.length; i++) {
            if (!status[i].isFinal()) {
                pending.add(envelope.recipients().get(i));
            }
        }
        return pending;
    }

    synchronized boolean isFinished() {
        for (Status s : status) {
            if (!s.isFinal()) {
                return false;
            }
        }
        return true;
    }

    /** Records a final outcome (delivered or failed) for the recipient. */
    synchronized void record(MailAddress recipient, Status newStatus, String detail) {
        int index = indexOf(recipient);
        status[index] = newStatus;
        reply[index] = detail;
        if (waitReason != null) {
            waitReason[index] = null;
            smtpStatus[index] = null;
        }
    }

    private void deferrable() {
        if (waitReason == null) {
            waitReason = new WaitReason[status.length];
            smtpStatus = new String[status.length];
        }
    }

    /**
     * Defers the recipient.
     *
     * @param smtpStatus the enhanced status of the next hop's 4xx reply that deferred it ("" if it had
     *     none), or null when no such reply did
     */
    synchronized void defer(MailAddress recipient, WaitReason reason, String detail, String smtpStatus) {
        int index = indexOf(recipient);
        status[index] = Status.DEFERRED;
        reply[index] = detail;
        deferrable();
        waitReason[index] = reason;
        this.smtpStatus[index] = smtpStatus;
    }

    /** @return what the recipient waits for, if it is deferred */
    synchronized Optional<Waiting> waitingOf(MailAddress recipient) {
        int index = indexOf(recipient);
        return waitReason == null || waitReason[index] == null || reply[index] == null ? Optional.empty()
                : Optional.of(new Waiting(waitReason[index], reply[index]));
    }

    /** @return the enhanced status of the 4xx reply that deferred the recipient ("" if none); empty if no reply did */
    synchronized Optional<String> smtpStatusOf(MailAddress recipient) {
        int index = indexOf(recipient);
        return smtpStatus == null ? Optional.empty() : Optional.ofNullable(smtpStatus[index]);
    }

    synchronized Status statusOf(MailAddress recipient) {
        return status[indexOf(recipient)];
    }

    synchronized boolean delayNoticed(MailAddress recipient) {
        return delayNoticed[indexOf(recipient)];
    }

    synchronized void markDelayNoticed(MailAddress recipient) {
        delayNoticed[indexOf(recipient)] = true;
    }

    synchronized Optional<String> replyOf(MailAddress recipient) {
        return Optional.ofNullable(reply[indexOf(recipient)]);
    }

    private int indexOf(MailAddress recipient) {
        List<Recipient> recipients = envelope.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (recipients.get(i).address().equals(recipient)) {
                return i;
            }
        }
        throw new IllegalArgumentException(recipient + " is not a recipient of " + id);
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized void attempted() {
        attempts++;
    }

    /** @param waiting why the attempt did not finish the message, or null */
    synchronized void schedule(Instant next, Waiting waiting) {
        nextAttempt = next;
        lastError = waiting == null ? null : waiting.detail();
        lastReason = waiting == null ? null : waiting.reason();
    }

    /** @return why the last attempt did not finish the message, if it did not */
    synchronized Waiting waiting() {
        return lastError == null ? null : new Waiting(lastReason == null ? WaitReason.UNSPECIFIED : lastReason, lastError);
    }

    synchronized void dueNow(Instant now) {
        if (nextAttempt.isAfter(now)) {
            nextAttempt = now;
        }
    }

    synchronized void hold(boolean hold, Instant now) {
        held = hold;
        if (!hold) {
            nextAttempt = now;
        }
    }

    synchronized boolean isHeld() {
        return held;
    }

    synchronized Instant nextAttempt() {
        return nextAttempt;
    }

    /** @return true if it can be removed now; else the delivery under way removes it when done */
    synchronized boolean markDeleted() {
        deleted = true;
        return !inFlight;
    }

    synchronized byte[] encodeState() {
        PropertyLines p = new PropertyLines()
                .put("attempts", attempts)
                .put("next", nextAttempt.toString())
                .put("held", Boolean.toString(held));
        if (lastError != null) {
            p.put("error", lastError);
            if (lastReason != null) {
                p.put("wait", lastReason.name());
            }
        }
        for (int i = 0; i < status.length; i++) {
            p.put("rcpt." + i + ".status", status[i].name());
            if (reply[i] != null) {
                p.put("rcpt." + i + ".reply", reply[i]);
            }
            if (waitReason != null && waitReason[i] != null) {
                p.put("rcpt." + i + ".wait", waitReason[i].name());
            }
            if (smtpStatus != null && smtpStatus[i] != null) {
                p.put("rcpt." + i + ".smtp.status", smtpStatus[i]);
            }
            if (delayNoticed[i]) {
                p.put("rcpt." + i + ".delay.noticed", "true");
            }
        }
        return p.toBytes();
    }

    synchronized void decodeState(byte[] state) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(state));
        try {
            attempts = Integer.parseInt(p.getProperty("attempts", "0"));
            nextAttempt = Instant.parse(p.getProperty("next", received.toString()));
            held = Boolean.parseBoolean(p.getProperty("held", "false"));
            lastError = p.getProperty("error");
            // A state written before reasons were kept names none: the text says it, read once here.
            lastReason = lastError == null ? null : p.containsKey("wait") ? WaitReason.valueOf(p.getProperty("wait"))
                    : LegacyState.reasonOf(lastError);
            for (int i = 0; i < status.length; i++) {
                status[i] = Status.valueOf(p.getProperty("rcpt." + i + ".status", Status.PENDING.name()));
                reply[i] = p.getProperty("rcpt." + i + ".reply");
                String wait = p.getProperty("rcpt." + i + ".wait");
                boolean legacy = wait == null && status[i] == Status.DEFERRED && reply[i] != null;
                deferrable();
                waitReason[i] = wait != null ? WaitReason.valueOf(wait) : legacy ? LegacyState.reasonOf(reply[i]) : null;
                smtpStatus[i] = legacy ? LegacyState.smtpStatusOf(reply[i]) : p.getProperty("rcpt." + i + ".smtp.status");
                delayNoticed[i] = Boolean.parseBoolean(p.getProperty("rcpt." + i + ".delay.noticed", "false"));
            }
        } catch (RuntimeException e) {
            throw new IOException("Unreadable state of " + id + ": " + e.getMessage(), e);
        }
    }
}
