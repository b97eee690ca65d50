package org.mailslot.queue.artemis.internal;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.testing.peers.ArtemisPeer;
import org.mailslot.testing.queue.QueueStoreContract;

/**
 * The queue-store contract kept by a real Artemis 2.40.0 broker, one broker queue per test. Time is
 * real: the broker's scheduled delivery makes a deferred message due. The store keeps the whole contract.
 */
class ArtemisQueueStoreContractIT extends QueueStoreContract {

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static ArtemisPeer broker;

    @TempDir
    Path bodies;

    private String queue;

    @BeforeAll
    static void startBroker() {
        broker = ArtemisPeer.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected QueueStore open() {
        if (queue == null) {
            queue = "mailslot.contract." + QUEUES.incrementAndGet();
        }
        StoreSettings settings = new StoreSettings(true, broker.url(), broker.user(),
                broker.password(), queue);
        return new ArtemisQueueStore(new Broker(settings), bodies, Clock.systemUTC());
    }

    @Override
    protected void close(QueueStore store) {
        ((ArtemisQueueStore) store).close();
    }

    @Override
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    protected void passUntil(Instant instant) {
        await().atMost(Duration.between(Instant.now(), instant).abs().plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !Instant.now().isBefore(instant));
    }
}
