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
import org.mailslot.spool.internal.DsnWriter.Action;
import org.mailslot.spool.internal.DsnWriter.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender hears of an attempt: failures (a DSN, never for the null reverse path), the
 * successes a NOTIFY asked for, and, once per recipient, the delay of those that still wait. Each
 * notice is owed by the attempt ({@link Progress#owe}) and queued with its outcome, in one change.
 */
final class SenderNotices {

    private static final Logger LOG = LoggerFactory.getLogger(SenderNotices.class);

    /**
     * A notice the attempt owes the sender.
     *
     * @param kind failed, delayed, or a success
     * @param about the recipients it reports on
     * @param message the notice as a message to queue
     */
    record Owed(Action kind, List<Notice> about, org.mailslot.api.queue.Notice message) {
    }

    private final Settings settings;
    private final Clock clock;

    SenderNotices(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Once the message is {@code delay.notice} old, tells the sender, once per recipient, which ones
     * still wait: those with NOTIFY=DELAY, or without NOTIFY (whose default includes delays).
     *
     * @return whether a notice is owed (and the state must say so)
     */
    boolean reportDelay(Progress progress, Instant now) {
        Optional<Duration> after = settings.delayNotice();
        if (after.isEmpty() || progress.envelope.reversePath().isEmpty()
                || now.isBefore(progress.received.plus(after.get()))) {
            return false;
        }
        List<Notice> delayed = new ArrayList<>();
        for (Recipient recipient : progress.pending()) {
            boolean wanted = recipient.notifyOn().isEmpty() || recipient.notifyOn().contains(DsnNotify.DELAY);
            if (wanted && !progress.delayNoticed(recipient.address())) {
                String reply = progress.replyOf(recipient.address()).orElse("not tried yet");
                Optional<String> smtp = progress.smtpStatusOf(recipient.address());
                delayed.add(new Notice(recipient, Action.DELAYED, smtp.filter(status -> !status.isEmpty()).orElse("4.0.0"),
                        smtp.isPresent() ? "smtp" : "X-Mailslot", reply, ""));
            }
        }
        if (delayed.isEmpty()) {
            return false;
        }
        progress.owe(new Owed(Action.DELAYED, delayed, DsnWriter.notice(progress, delayed, settings.reportingMta(), now,
                progress.received.plus(settings.giveUp()))));
        delayed.forEach(notice -> progress.markDelayNoticed(notice.recipient().address(), true));
        return true;
    }

    void reportSuccess(Progress progress, List<Notice> successes) {
        if (progress.envelope.reversePath().isEmpty()) {
            return;
        }
        progress.owe(new Owed(Action.DELIVERED, successes, DsnWriter.notice(progress, successes, settings.reportingMta(),
                clock.instant(), clock.instant())));
    }

    void bounce(Progress progress, List<Notice> failures) {
        if (progress.envelope.reversePath().isEmpty()) {
            LOG.info("Not bouncing {}: it has the null reverse path (a bounce is never bounced); failed: {}", progress.id,
                    failures.stream().map(f -> f.recipient().address() + " " + f.diagnostic()).toList());
            return;
        }
        List<Notice> wanted = failures.stream()
                .filter(f -> f.recipient().notifyOn().isEmpty() || f.recipient().notifyOn().contains(DsnNotify.FAILURE))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        progress.owe(new Owed(Action.FAILED, wanted, DsnWriter.notice(progress, wanted, settings.reportingMta(),
                clock.instant(), clock.instant())));
    }

    /**
     * The store could not queue the notices: without a failure's DSN the sender would never learn, so
     * its recipients are kept to try again; a delay is noticed at a later attempt; a success is only
     * not reported, and said so.
     */
    void notQueued(Progress progress, String why) {
        for (Owed owed : progress.owed()) {
            switch (owed.kind()) {
                case FAILED -> {
                    LOG.warn("Could not queue the DSN for {}: {}", progress.id, why);
                    owed.about().forEach(f -> progress.defer(f.recipient().address(), WaitReason.NOTICE_NOT_QUEUED,
                            f.diagnostic() + " (could not queue the DSN: " + why + ")", null));
                }
                case DELAYED -> {
                    LOG.warn("Could not queue the delay notice for {}: {}", progress.id, why);
                    owed.about().forEach(notice -> progress.markDelayNoticed(notice.recipient().address(), false));
                }
                default -> LOG.warn("Could not queue the success notice for {} ({}): {}", progress.id,
                        owed.about().stream().map(n -> n.recipient().address().toString()).toList(), why);
            }
        }
        progress.forgive();
    }
}
