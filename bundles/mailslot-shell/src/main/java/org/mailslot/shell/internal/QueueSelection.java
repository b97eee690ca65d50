package org.mailslot.shell.internal;

import java.time.Clock;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;

/** The options by which the queue commands select messages, as {@code postqueue} and {@code postsuper} users expect. */
abstract class QueueSelection implements Action {

    @Option(name = "--domain", description = "Only messages with a recipient at this domain still to be delivered")
    String domain;

    @Option(name = "--reason", description = "Only messages waiting for this reason: NO_ROUTE, DEFERRED_BY_NEXT_HOP,"
            + " DESTINATION_SUSPENDED, HELD_BY_OPERATOR, ... (the WaitReason names; README.md lists them)")
    String reason;

    @Option(name = "--older-than", description = "Only messages accepted longer ago than this: 30m, 2h, 1d, ...")
    String olderThan;

    @Option(name = "--held", description = "Only messages an operator holds")
    boolean held;

    /** The time the ages are measured against; tests set it. */
    Clock clock = Clock.systemUTC();

    QueueFilter filter() {
        return QueueFilter.of(domain, reason, olderThan, held);
    }

    /** @return the messages of the queue the options select, oldest first */
    List<QueueEntry> selected(MailQueue queue) {
        QueueFilter filter = filter();
        return filter.all() ? queue.list()
                : queue.list().stream().filter(entry -> filter.matches(entry, clock.instant())).toList();
    }
}
