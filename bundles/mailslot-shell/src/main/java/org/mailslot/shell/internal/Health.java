package org.mailslot.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.mailslot.api.spool.QueueEntry;

/**
 * Whether Mailslot is well, as a script asks it: every component active (or satisfied, or waiting for a
 * configuration it may not need), a spool there, and no message waiting longer than the threshold. A
 * message an operator holds is not counted: it waits for the operator, who knows.
 *
 * @param problems what is wrong, one line each; empty when healthy
 */
record Health(List<String> problems) {

    Health {
        problems = List.copyOf(problems);
    }

    boolean healthy() {
        return problems.isEmpty();
    }

    /**
     * @param components every component's row
     * @param spool the spool's entries, or null when no spool runs
     * @param maxWait how long a message may wait
     */
    static Health of(List<ComponentStates.Row> components, List<QueueEntry> spool, Duration maxWait, Instant now) {
        return of(components, spool, null, maxWait, now);
    }

    /**
     * @param unreadable why the spool's entries could not be read (its queue store cannot reach its storage,
     *     a broker that is down), or null
     */
    static Health of(List<ComponentStates.Row> components, List<QueueEntry> spool, String unreadable, Duration maxWait,
            Instant now) {
        List<String> problems = new ArrayList<>();
        for (ComponentStates.Row row : components) {
            if (!row.healthy()) {
                problems.add(row.component() + " is " + row.state() + (row.detail().isEmpty() ? "" : ": " + row.detail()));
            }
        }
        if (unreadable != null) {
            problems.add("the queue cannot be read: " + unreadable);
        } else if (spool == null) {
            problems.add("no spool: no MailQueue service registered (is mailslot-spool started?)");
        } else {
            Instant limit = now.minus(maxWait);
            List<QueueEntry> old = spool.stream()
                    .filter(entry -> !entry.held() && unfinished(entry) && entry.acceptedAt().isBefore(limit))
                    .sorted(Comparator.comparing(QueueEntry::acceptedAt)).toList();
            if (!old.isEmpty()) {
                QueueEntry oldest = old.get(0);
                problems.add(old.size() + (old.size() == 1 ? " message has" : " messages have") + " waited longer than "
                        + Durations.text(maxWait) + " (status.max.wait); the oldest, " + oldest.id() + ", for "
                        + Durations.text(Duration.between(oldest.acceptedAt(), now))
                        + oldest.waiting().map(waiting -> ": " + waiting.detail()).orElse(""));
            }
        }
        return new Health(problems);
    }

    static boolean unfinished(QueueEntry entry) {
        return entry.recipients().stream().anyMatch(recipient -> !recipient.status().isFinal());
    }
}
