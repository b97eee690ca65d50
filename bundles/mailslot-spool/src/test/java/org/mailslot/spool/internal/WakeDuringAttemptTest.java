package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.testing.peers.MutableClock;

/**
 * A flush, and what a message waits for coming back (a crypto bundle, through
 * {@code OutboundPipeline.arrived}), reach the message without waiting out its backoff: also while
 * its attempt is under way, when the attempt's deferral would otherwise set the next try. The clock
 * never moves here and the scheduler looks for due mail only when told, so nothing else sends it.
 */
class WakeDuringAttemptTest {

    private static final Duration NEVER_BY_ITSELF = Duration.ofHours(1);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final FakeTransport transport = new FakeTransport();
    private SpoolComponent spool;

    @BeforeEach
    void start() throws Exception {
        spool = new SpoolComponent(Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes")), SpoolIo.SYSTEM, clock,
                NEVER_BY_ITSELF);
        spool.bindTransport(transport);
    }

    @AfterEach
    void stop() {
        spool.deactivate();
    }

    private void bindPolicy(MessageProcessor policy) {
        spool.bindProcessor(policy, Map.of(MessageProcessor.NAME, "crypto-policy", "service.id", 1L));
    }

    @Test
    void aMessageWaitingForACryptoBundleGoesWhenTheBundleComesBack() throws Exception {
        AtomicBoolean openPgp = new AtomicBoolean();
        bindPolicy((envelope, message) -> openPgp.get() ? ProcessingResult.proceed()
                : ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING, "mailslot-openpgp not available"));
        String id = submit(spool, envelope("alice@localhost", "bob@example.org"), message("secret", "x")).id();
        await().atMost(PATIENCE).until(() -> spool.entry(id).orElseThrow().attempts() == 1);
        assertThat(spool.entry(id).orElseThrow().waiting()).map(w -> w.reason())
                .contains(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);

        openPgp.set(true);
        spool.arrived(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);

        await().atMost(PATIENCE).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).singleElement()
                .satisfies(delivery -> assertThat(delivery.envelope().recipients().get(0).address().toString())
                        .isEqualTo("bob@example.org"));
    }

    @Test
    void aCryptoBundleComingBackDuringAnAttemptSendsTheMessageWhenThatAttemptEnds() throws Exception {
        CountDownLatch inFirstAttempt = new CountDownLatch(1);
        CountDownLatch bundleBack = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        bindPolicy((envelope, message) -> {
            if (attempts.incrementAndGet() > 1) {
                return ProcessingResult.proceed();
            }
            inFirstAttempt.countDown();
            try {
                bundleBack.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // It looked before the bundle came: this attempt still finds it missing.
            return ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING, "mailslot-openpgp not available");
        });
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("secret", "x"));
        assertThat(inFirstAttempt.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        spool.arrived(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
        bundleBack.countDown();

        await().atMost(PATIENCE).until(() -> spool.depth() == 0);
        assertThat(attempts).hasValue(2);
        assertThat(transport.deliveries).hasSize(1);
    }

    @Test
    void aFlushDuringAnAttemptTriesTheMessageAgainWhenThatAttemptEnds() throws Exception {
        CountDownLatch inFirstDelivery = new CountDownLatch(1);
        CountDownLatch flushed = new CountDownLatch(1);
        AtomicInteger deliveries = new AtomicInteger();
        transport.answer = (recipient, route) -> {
            if (deliveries.incrementAndGet() > 1) {
                return FakeTransport.accepted(recipient);
            }
            inFirstDelivery.countDown();
            try {
                flushed.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeTransport.temporary(recipient);
        };
        String id = submit(spool, envelope("alice@localhost", "bob@example.org"), message("flushed", "x")).id();
        assertThat(inFirstDelivery.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(spool.flush(id)).isTrue();
        flushed.countDown();

        await().atMost(PATIENCE).until(() -> spool.depth() == 0);
        assertThat(deliveries).hasValue(2);
    }
}
