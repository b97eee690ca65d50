package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.WaitReason;

/**
 * The spool's messages that wait for something, grouped by what they wait for: the detail of their
 * {@linkplain org.mailslot.api.spool.QueueEntry#waiting() wait reason}, the last error of their last attempt, which names a missing service or key ("encryption required for x@y:
 * mailslot-openpgp not available", "no MailTransport service: waiting for mailslot-transport") or
 * the next hop's reply. Held messages wait for an operator.
 */
final class WaitingMessages {

    static final String HELD = "held by an operator (mailslot:queue-release ID)";
    private static final int EXAMPLE_IDS = 3;

    /**
     * Messages waiting for one reason.
     *
     * @param kind what they wait for, as a value
     * @param reason the last error they share
     * @param ids their spool ids, oldest first
     */
    record Group(WaitReason kind, String reason, List<String> ids) {
    }

    private record Key(WaitReason kind, String reason) {
    }

    private WaitingMessages() {
    }

    /** @return the groups, the largest first, then by reason */
    static List<Group> of(List<QueueEntry> entries) {
        Map<Key, List<String>> byReason = new LinkedHashMap<>();
        for (QueueEntry entry : entries) {
            if (!Health.unfinished(entry)) {
                continue;
            }
            Key key = entry.waiting()
                    .map(waiting -> new Key(waiting.reason(),
                            waiting.reason() == WaitReason.HELD_BY_OPERATOR ? HELD : waiting.detail()))
                    .orElse(null);
            if (key == null) {
                key = entry.recipients().stream().filter(r -> r.status() == RecipientState.Status.DEFERRED)
                        .map(r -> r.lastReply().orElse(null)).filter(reply -> reply != null).findFirst()
                        .map(reply -> new Key(WaitReason.UNSPECIFIED, reply)).orElse(null);
            }
            if (key != null) {
                byReason.computeIfAbsent(key, k -> new ArrayList<>()).add(entry.id());
            }
        }
        List<Group> groups = new ArrayList<>();
        byReason.forEach((key, ids) -> groups.add(new Group(key.kind(), key.reason(), List.copyOf(ids))));
        groups.sort(Comparator.comparing((Group g) -> -g.ids().size()).thenComparing(Group::reason));
        return groups;
    }

    /** @return the one-line summary for the head of {@code mailslot:status} */
    static String summary(int depth, List<Group> groups) {
        int waiting = groups.stream().mapToInt(g -> g.ids().size()).sum();
        return depth + (depth == 1 ? " message" : " messages") + " in the spool, " + waiting + " waiting";
    }

    /**
     * @param depth the number of messages in the spool
     * @param groups the waiting ones, grouped
     */
    static void print(int depth, List<Group> groups, PrintStream out) {
        out.println("Spool: " + summary(depth, groups));
        if (groups.isEmpty()) {
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Messages").alignRight();
        table.column("Waiting for");
        table.column("For example");
        for (Group group : groups) {
            List<String> examples = group.ids().subList(0, Math.min(EXAMPLE_IDS, group.ids().size()));
            table.addRow().addContent(group.ids().size(), group.reason(),
                    String.join(", ", examples) + (group.ids().size() > EXAMPLE_IDS ? ", ..." : ""));
        }
        table.print(out);
    }

    /** What the status says when no spool runs. */
    static void printUnavailable(PrintStream out) {
        out.println("Spool: missing: no MailQueue service registered (is mailslot-spool started?)");
    }
}
