package org.mailslot.metrics.internal;

import java.util.Map;

/** {@code org.mailslot:type=Accounts}: every retrieval account by name. */
public interface AccountsMXBean {

    Map<String, Long> getRetrieved();

    Map<String, Long> getPendingHandOffs();

    /** @return the end of each account's last successful synchronisation, ISO-8601; absent if none yet */
    Map<String, String> getLastSync();

    /** @return each account's last error, for the accounts that have one */
    Map<String, String> getLastErrors();
}
