package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.testing.peers.MutableClock;

/**
 * An attempt that hangs past {@code lease.time} loses its message: the next look attempts it again
 * (its mail may go twice, never lost). That the late attempt's outcome is not recorded is the store's
 * part, in {@code QueueStoreContract}.
 */
class ExpiredLeaseTest {

    private static final Duration LEASE_TIME = Duration.ofMinutes(1);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private SpoolComponent spool;

    @AfterEach
    void stop() {
        if (spool != null) {
            spool.deactivate();
        }
    }

    @Test
    void aHungAttemptLosesItsMessageToTheNextAttempt() throws Exception {
        spool = new SpoolComponent(Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes"))
                .withLeaseTime(LEASE_TIME), SpoolIo.SYSTEM, clock, Duration.ofHours(1));
        FakeTransport transport = new FakeTransport();
        CountDownLatch hung = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger deliveries = new AtomicInteger();
        transport.answer = (recipient, route) -> {
            if (deliveries.incrementAndGet() > 1) {
                return FakeTransport.accepted(recipient);
            }
            hung.countDown();
            try {
                unblock.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeTransport.temporary(recipient);
        };
        spool.bindTransport(transport);
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("hangs", "x"));
        assertThat(hung.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(spool.list()).singleElement().satisfies(entry -> assertThat(entry.nextAttempt()).as("under way").isEmpty());

        clock.advance(LEASE_TIME.plusSeconds(1));
        spool.scheduler().wake();

        await().atMost(PATIENCE).until(() -> spool.depth() == 0);
        assertThat(deliveries).as("the second attempt delivered it").hasValue(2);
        unblock.countDown();
    }
}
