package org.mailslot.metrics.internal;

import java.util.Map;

/** {@code org.mailslot:type=Queue}: the spool; -1 when no spool runs. */
public interface QueueMXBean {

    int getDepth();

    /** @return seconds since the oldest message was accepted, 0 when the spool is empty */
    long getOldestMessageAgeSeconds();

    /** @return unfinished messages by kind of wait: held, waiting, deferred, pending */
    Map<String, Integer> getWaitingByReason();

    /** @return the full text of what unfinished messages wait for, with how many wait for it */
    Map<String, Integer> getWaitingByText();

    /** @return unfinished recipients by domain */
    Map<String, Integer> getRecipientsByDestination();
}
