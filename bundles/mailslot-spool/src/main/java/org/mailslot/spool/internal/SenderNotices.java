package org.mailslot.spool.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.spool.internal.DsnWriter.Action;
import org.mailslot.spool.internal.DsnWriter.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender hears of an attempt: failures (a DSN, never for the null reverse path), the
 * successes a NOTIFY asked for, and, once per recipient, the delay of those that still wait.
 * Queued into the spool like any message.
 */
final class SenderNotices {

    private static final Logger LOG = LoggerFactory.getLogger(SenderNotices.class);

    private final FileSpool spool;
    private final Settings settings;
    private final Clock clock;

    SenderNotices(FileSpool spool, Settings settings, Clock clock) {
        this.spool = spool;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Once the message is {@code delay.notice} old, tells the sender, once per recipient, which ones
     * still wait: those with NOTIFY=DELAY, or without NOTIFY (whose default includes delays).
     *
     * @return whether a notice was queued (and the state must say so)
     */
    boolean reportDelay(SpoolEntry entry, Instant now) {
        Optional<Duration> after = settings.delayNotice();
        if (after.isEmpty() || entry.envelope.reversePath().isEmpty() || now.isBefore(entry.received.plus(after.get()))) {
            return false;
        }
        List<Notice> delayed = new ArrayList<>();
        for (Recipient recipient : entry.pending()) {
            boolean wanted = recipient.notifyOn().isEmpty() || recipient.notifyOn().contains(DsnNotify.DELAY);
            if (wanted && !entry.delayNoticed(recipient.address())) {
                String reply = entry.replyOf(recipient.address()).orElse("not tried yet");
                Optional<String> smtp = entry.smtpStatusOf(recipient.address());
                delayed.add(new Notice(recipient, Action.DELAYED, smtp.filter(status -> !status.isEmpty()).orElse("4.0.0"),
                        smtp.isPresent() ? "smtp" : "X-Mailslot", reply, ""));
            }
        }
        if (delayed.isEmpty()) {
            return false;
        }
        try {
            DsnWriter.submit(spool, entry, delayed, settings.reportingMta(), now, entry.received.plus(settings.giveUp()));
            delayed.forEach(notice -> entry.markDelayNoticed(notice.recipient().address()));
            return true;
        } catch (SubmissionException e) {
            // Not marked: the next attempt tries again.
            LOG.warn("Could not queue the delay notice for {}: {}", entry.id, e.getMessage());
            return false;
        }
    }

    void reportSuccess(SpoolEntry entry, List<Notice> successes) {
        if (entry.envelope.reversePath().isEmpty()) {
            return;
        }
        try {
            DsnWriter.submit(spool, entry, successes, settings.reportingMta(), clock.instant(), clock.instant());
        } catch (SubmissionException e) {
            // The delivery stands; only the report of it is lost, and said so.
            LOG.warn("Could not queue the success notice for {} ({}): {}", entry.id,
                    successes.stream().map(n -> n.recipient().address().toString()).toList(), e.getMessage());
        }
    }

    void bounce(SpoolEntry entry, List<Notice> failures) {
        if (entry.envelope.reversePath().isEmpty()) {
            LOG.info("Not bouncing {}: it has the null reverse path (a bounce is never bounced); failed: {}", entry.id,
                    failures.stream().map(f -> f.recipient().address() + " " + f.diagnostic()).toList());
            return;
        }
        List<Notice> wanted = failures.stream()
                .filter(f -> f.recipient().notifyOn().isEmpty() || f.recipient().notifyOn().contains(DsnNotify.FAILURE))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        try {
            DsnWriter.submit(spool, entry, wanted, settings.reportingMta(), clock.instant(), clock.instant());
        } catch (SubmissionException e) {
            // Without the DSN the sender would never learn; keep the recipients and try again.
            LOG.warn("Could not queue the DSN for {}: {}", entry.id, e.getMessage());
            wanted.forEach(f -> entry.defer(f.recipient().address(), WaitReason.NOTICE_NOT_QUEUED,
                    f.diagnostic() + " (could not queue the DSN: " + e.getMessage() + ")", null));
        }
    }
}
