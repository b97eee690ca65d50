package org.mailslot.retrieval.internal;

import java.util.concurrent.atomic.AtomicLong;

/** What an account's synchronisations did, for status. */
final class SyncCounters {
    final AtomicLong retrieved = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
}
