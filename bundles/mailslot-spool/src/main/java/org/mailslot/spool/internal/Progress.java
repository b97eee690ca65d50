package org.mailslot.spool.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.LeaseLostException;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;

/**
 * What one attempt of a leased message finds out, recipient by recipient, until the scheduler
 * hands it to the store as the attempt's outcome. Starts from the state the lease gave. Used by
 * one worker at a time (a local one, then a remote one); its monitor guards it all the same.
 */
final class Progress {

    final Lease lease;
    final String id;
    final Envelope envelope;
    final Instant received;
    private final MessageSource body;
    private final DeliveryState start;
    private final Status[] status;
    private final String[] reply;
    private final WaitReason[] waitReason;
    /** The enhanced status of a next hop's 4xx reply deferring the recipient ("" if it had none); null if none did. */
    private final String[] smtpStatus;
    private final boolean[] delayNoticed;
    private final List<SenderNotices.Owed> owed = new ArrayList<>();
    private int attempts;
    /** Whether anything differs from {@link #start}. */
    private boolean changed;
    private boolean ended;

    Progress(Lease lease) {
        this.lease = lease;
        this.id = lease.id();
        this.envelope = lease.envelope();
        this.received = lease.acceptedAt();
        this.body = lease.message();
        this.start = lease.state();
        List<RecipientProgress> recipients = start.recipients();
        int n = recipients.size();
        status = new Status[n];
        reply = new String[n];
        waitReason = new WaitReason[n];
        smtpStatus = new String[n];
        delayNoticed = new boolean[n];
        for (int i = 0; i < n; i++) {
            RecipientProgress r = recipients.get(i);
            status[i] = r.status();
            reply[i] = r.lastReply().orElse(null);
            waitReason[i] = r.waiting().map(Waiting::reason).orElse(null);
            smtpStatus[i] = r.nextHopStatus().orElse(null);
            delayNoticed[i] = r.delayNoticed();
        }
        attempts = start.attempts();
    }

    /** @return the message octets */
    MessageSource body() {
        return body;
    }

    /** @return the state the attempt started from */
    DeliveryState start() {
        return start;
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

    /** @return whether the attempt changed anything so far */
    synchronized boolean changed() {
        return changed;
    }

    /** Records a final outcome (delivered or failed) for the recipient. */
    synchronized void record(MailAddress recipient, Status newStatus, String detail) {
        int index = indexOf(recipient);
        status[index] = newStatus;
        reply[index] = detail;
        waitReason[index] = null;
        smtpStatus[index] = null;
        changed = true;
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
        waitReason[index] = reason;
        this.smtpStatus[index] = smtpStatus;
        changed = true;
    }

    /** @return what the recipient waits for, if it is deferred */
    synchronized Optional<Waiting> waitingOf(MailAddress recipient) {
        int index = indexOf(recipient);
        return waitReason[index] == null || reply[index] == null ? Optional.empty()
                : Optional.of(new Waiting(waitReason[index], reply[index]));
    }

    /** @return the enhanced status of the 4xx reply that deferred the recipient ("" if none); empty if no reply did */
    synchronized Optional<String> smtpStatusOf(MailAddress recipient) {
        return Optional.ofNullable(smtpStatus[indexOf(recipient)]);
    }

    synchronized Status statusOf(MailAddress recipient) {
        return status[indexOf(recipient)];
    }

    synchronized Optional<String> replyOf(MailAddress recipient) {
        return Optional.ofNullable(reply[indexOf(recipient)]);
    }

    synchronized boolean delayNoticed(MailAddress recipient) {
        return delayNoticed[indexOf(recipient)];
    }

    synchronized void markDelayNoticed(MailAddress recipient, boolean noticed) {
        delayNoticed[indexOf(recipient)] = noticed;
        changed = true;
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized void attempted() {
        attempts++;
        changed = true;
    }

    /** The attempt owes the sender a notice, queued with its outcome. */
    synchronized void owe(SenderNotices.Owed notice) {
        owed.add(notice);
        changed = true;
    }

    synchronized List<SenderNotices.Owed> owed() {
        return List.copyOf(owed);
    }

    /** The notices could not be queued: what they reported was undone. */
    synchronized void forgive() {
        owed.clear();
    }

    /** Ends the lease with the outcome; a lease lost meanwhile has ended too. */
    void finish(AttemptOutcome outcome) throws IOException {
        try {
            lease.finish(outcome);
            markEnded();
        } catch (LeaseLostException e) {
            markEnded();
            throw e;
        }
    }

    /** Ends the lease without an attempt. */
    void putBack() {
        markEnded();
        lease.putBack();
    }

    private synchronized void markEnded() {
        ended = true;
    }

    synchronized boolean ended() {
        return ended;
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

    /**
     * @param next when the message is due again
     * @param waiting why it waits, or null
     * @return the state the attempt leaves the message in
     */
    synchronized DeliveryState state(Instant next, Waiting waiting) {
        List<RecipientProgress> recipients = new ArrayList<>(status.length);
        for (int i = 0; i < status.length; i++) {
            Optional<Waiting> waits = waitReason[i] == null || reply[i] == null ? Optional.empty()
                    : Optional.of(new Waiting(waitReason[i], reply[i]));
            recipients.add(new RecipientProgress(envelope.recipients().get(i), status[i], Optional.ofNullable(reply[i]),
                    waits, Optional.ofNullable(smtpStatus[i]), delayNoticed[i]));
        }
        return new DeliveryState(attempts, next, Optional.ofNullable(waiting), recipients);
    }
}
