package org.mailslot.spool.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.testing.peers.MutableClock;
import org.mailslot.testing.queue.QueueStoreContract;

/** The queue-store contract kept by the segment files of a spool directory, on a clock the test moves. */
class FileQueueStoreContractTest extends QueueStoreContract {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @Override
    protected QueueStore open() throws Exception {
        return new FileQueueStore(new FileSpool(dir, 1 << 20, SpoolIo.SYSTEM, clock), clock);
    }

    @Override
    protected void close(QueueStore store) {
        ((FileQueueStore) store).close();
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected void passUntil(Instant instant) {
        Duration left = Duration.between(clock.instant(), instant);
        if (!left.isNegative()) {
            clock.advance(left);
        }
    }
}
