package org.mailslot.metrics.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;

/**
 * The spool's figures at one moment.
 *
 * @param depth the messages in the spool
 * @param byReason the unfinished messages by the kind of thing they wait for, every kind present
 * @param oldestAge how long the oldest message has been in the spool; empty when it is empty
 * @param byDestination the unfinished recipients by their domain, ordered by domain
 * @param waiting the unfinished messages grouped by the text of what they wait for, largest group first
 */
record QueueFigures(int depth, Map<WaitReason, Integer> byReason, Optional<Duration> oldestAge,
        Map<String, Integer> byDestination, List<WaitingGroup> waiting) {

    /**
     * @param reason the spool's last error or the next hop's reply they share
     * @param kind its kind
     * @param messages how many messages wait for it
     */
    record WaitingGroup(String reason, WaitReason kind, int messages) {
    }

    static final String HELD_TEXT = "held by an operator (mailslot:queue-release ID)";

    static QueueFigures of(List<QueueEntry> entries, Instant now) {
        Map<WaitReason, Integer> byReason = new EnumMap<>(WaitReason.class);
        for (WaitReason reason : WaitReason.values()) {
            byReason.put(reason, 0);
        }
        Map<String, Integer> byDestination = new TreeMap<>();
        Map<String, WaitingGroup> groups = new LinkedHashMap<>();
        Instant oldest = null;
        for (QueueEntry entry : entries) {
            if (oldest == null || entry.acceptedAt().isBefore(oldest)) {
                oldest = entry.acceptedAt();
            }
            List<RecipientState> unfinished = entry.recipients().stream().filter(r -> !r.status().isFinal()).toList();
            if (unfinished.isEmpty()) {
                continue;
            }
            WaitReason kind = WaitReason.of(entry);
            byReason.merge(kind, 1, Integer::sum);
            unfinished.forEach(r -> byDestination.merge(r.address().normalizedDomain(), 1, Integer::sum));
            text(entry, unfinished).ifPresent(text -> groups.merge(text, new WaitingGroup(text, kind, 1),
                    (a, b) -> new WaitingGroup(a.reason(), a.kind(), a.messages() + 1)));
        }
        List<WaitingGroup> waiting = new ArrayList<>(groups.values());
        waiting.sort(Comparator.comparingInt(WaitingGroup::messages).reversed().thenComparing(WaitingGroup::reason));
        Optional<Duration> oldestAge = Optional.ofNullable(oldest).map(at -> Duration.between(at, now));
        return new QueueFigures(entries.size(), Map.copyOf(byReason), oldestAge, byDestination, List.copyOf(waiting));
    }

    /** The same text {@code mailslot:status} groups by. */
    private static Optional<String> text(QueueEntry entry, List<RecipientState> unfinished) {
        if (entry.held()) {
            return Optional.of(HELD_TEXT);
        }
        if (entry.lastError().isPresent()) {
            return entry.lastError();
        }
        return unfinished.stream().filter(r -> r.status() == RecipientState.Status.DEFERRED)
                .flatMap(r -> r.lastReply().stream()).findFirst();
    }
}
