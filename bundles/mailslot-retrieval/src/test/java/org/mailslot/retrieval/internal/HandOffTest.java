package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.mailslot.testing.peers.ComponentConfig;

class HandOffTest {

    @TempDir
    Path dir;
    StateStore state;
    LocalMaildir maildir;
    Whiteboard whiteboard = new Whiteboard();
    RetrievalThreads threads = new RetrievalThreads();
    HandOff handOff;
    CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        state = StateStore.open(dir.resolve("state.log"));
        maildir = new LocalMaildir(dir, threads.forces());
        handOff = new HandOff("acct", whiteboard, state, maildir, threads.timer(), threads.commits(), threads.handlers(),
                Clock.systemUTC(), Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofMillis(500));
        whiteboard.onHandlerAdded(handOff::wake);
        MessageWriter writer = new MessageWriter(state, maildir, Clock.systemUTC(), new SyncCounters());
        for (int i = 1; i <= 3; i++) {
            byte[] m = ("Subject: message " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
            writer.add(ImapSync.key("INBOX", 1, i), 1, i, "m" + i, m, 0, m.length, false);
        }
        writer.commit();
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        handOff.stop();
        threads.close();
        state.close();
    }

    @Test
    void aFailingHandlerIsRetriedWhileTheOthersGetEverythingOnce() throws Exception {
        RecordingHandler steady = new RecordingHandler();
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean offline = new java.util.concurrent.atomic.AtomicBoolean(true);
        RecordingHandler flaky = new RecordingHandler();
        MessageHandler failsWhileOffline = message -> {
            if (offline.get()) {
                failures.incrementAndGet();
                throw new IllegalStateException("index offline");
            }
            flaky.handle(message);
        };
        whiteboard.addHandler(failsWhileOffline, Map.of(MessageHandler.NAME, "index"));
        whiteboard.addHandler(steady, Map.of(MessageHandler.NAME, "archive"));

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.get() >= 6 && steady.distinct() == 3);
        assertThat(handOff.lastError()).isEqualTo("handler index: java.lang.IllegalStateException: index offline");
        assertThat(flaky.distinct()).isZero();
        offline.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> flaky.distinct() == 3);
        assertThat(steady.duplicates()).isZero();
        assertThat(flaky.duplicates()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> handOff.pendingCount() == 0);
        assertThat(state.isHandled("index", ImapSync.key("INBOX", 1, 2))).isTrue();
        assertThat(handOff.lastError()).isNull(); // recovered: nothing left to retry
    }

    @Test
    void processorsRunByRankingBeforeHandlersAndHandlersFilterByAccount() throws Exception {
        InboundProcessor first = m -> m.withOpenFailure("first");
        InboundProcessor second = m -> new RetrievedMessage(m.account(), m.folder(), m.id(), m.retrieved(),
                MessageSource.of(("Subject: " + m.openFailure().orElse("") + " then second\r\n\r\n").getBytes()),
                m.opened(), m.openFailure());
        whiteboard.addProcessor(second, Map.of("service.ranking", 1));
        whiteboard.addProcessor(first, Map.of("service.ranking", 10));
        RecordingHandler other = new RecordingHandler();
        whiteboard.addHandler(other, Map.of(MessageHandler.NAME, "other", MessageHandler.ACCOUNTS, "someone-else"));
        RecordingHandler mine = new RecordingHandler();
        whiteboard.addHandler(mine, Map.of(MessageHandler.NAME, "mine", MessageHandler.ACCOUNTS, new String[] {"acct"}));

        await().atMost(Duration.ofSeconds(5)).until(() -> mine.bySubject.containsKey("first then second"));
        assertThat(mine.bySubject.get("first then second").get()).isEqualTo(3);
        assertThat(other.distinct()).isZero();
    }

    @Test
    void aHandlerWithoutANameIsIgnored() {
        whiteboard.addHandler(m -> {
        }, Map.of());
        assertThat(whiteboard.handlersFor("acct")).isEmpty();
        assertThat(state.pending(List.of())).isEmpty();
    }

    @Test
    void eachHandOffIsOnDiskWhileTheHandlerIsStillBusyWithTheNext() throws Exception {
        CountDownLatch secondStarted = new CountDownLatch(1);
        RecordingHandler taken = new RecordingHandler();
        whiteboard.addHandler(message -> {
            if (RecordingHandler.subject(message).equals("message 2")) {
                secondStarted.countDown();
                release.await(); // busy (not hung: within the timeout) with message 2
            }
            taken.handle(message);
        }, Map.of(MessageHandler.NAME, "slow"));
        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(state.isHandled("slow", ImapSync.key("INBOX", 1, 1))).isTrue();
        // Not at the end of a pass (which has not ended): forced right after message 1 was taken.
        await().atMost(Duration.ofSeconds(2)).until(state::allDurable);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> taken.distinct() == 3);
    }

    @Test
    void aHungHandlerHoldsBackNeitherTheOthersNorItsOwnOtherMessages() throws Exception {
        // A retry a second after the timeout, so that the reason can be read meanwhile.
        handOff.stop();
        handOff = new HandOff("acct", whiteboard, state, maildir, threads.timer(), threads.commits(), threads.handlers(),
                Clock.systemUTC(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        whiteboard.onHandlerAdded(handOff::wake);
        handOff.wake();
        RecordingHandler steady = new RecordingHandler();
        RecordingHandler hung = new RecordingHandler();
        AtomicInteger calls = new AtomicInteger();
        // Named to come first: handlers used to run in name order on one thread.
        whiteboard.addHandler(message -> {
            if (calls.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // never returns on its own
            }
            hung.handle(message);
        }, Map.of(MessageHandler.NAME, "a-hangs-once"));
        whiteboard.addHandler(steady, Map.of(MessageHandler.NAME, "b-steady"));

        // Well before the hung call's 2 s timeout: the other handler does not wait for it.
        await().atMost(Duration.ofMillis(1500)).until(() -> steady.distinct() == 3);
        assertThat(hung.distinct()).isZero();
        // After the timeout the hung call counts as failed; the lane goes on with messages 2 and 3
        // on a new thread, and message 1 comes again a second later.
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(handOff.lastError())
                .contains("handler a-hangs-once: did not return within PT2S"));
        await().atMost(Duration.ofMillis(900)).until(() -> hung.distinct() == 2);
        assertThat(hung.bySubject).doesNotContainKey("message 1");
        await().atMost(Duration.ofSeconds(5)).until(() -> hung.distinct() == 3);
        assertThat(hung.duplicates()).isZero();
        assertThat(steady.duplicates()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> handOff.pendingCount() == 0);
    }

    @Test
    void nothingIsHandedOffWhileARequiredStageIsMissing() throws Exception {
        whiteboard.modified(ComponentConfig.of(RetrievalConfig.class, Map.of("inbound.required", "crypto-open")));
        RecordingHandler handler = new RecordingHandler();
        whiteboard.addHandler(handler, Map.of(MessageHandler.NAME, "reader"));
        await().atMost(Duration.ofSeconds(2)).until(() -> handOff.lastError() != null);
        assertThat(handOff.lastError()).isEqualTo(
                "hand-off waits for the required inbound stage crypto-open (is its bundle started?)");
        // An unnamed or differently named processor does not stand in for it.
        whiteboard.addProcessor(m -> m, Map.of(InboundProcessor.NAME, "spam-score"));
        assertThat(handler.distinct()).isZero();
        assertThat(handOff.pendingCount()).isEqualTo(3);

        whiteboard.addProcessor(m -> m.withOpenFailure("opened by the stage"), Map.of(InboundProcessor.NAME, "crypto-open"));
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.distinct() == 3);
        assertThat(handOff.lastError()).isNull();
    }

    @Test
    void passesRunningBesideTheLanesNeverOfferAMessageTwice() throws Exception {
        MessageWriter writer = new MessageWriter(state, maildir, Clock.systemUTC(), new SyncCounters());
        for (int i = 4; i <= 400; i++) {
            byte[] m = ("Subject: message " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
            writer.add(ImapSync.key("INBOX", 1, i), 1, i, "m" + i, m, 0, m.length, false);
        }
        writer.commit();
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();
        // Each hand-off asks for another pass, as new batches do while a sync runs.
        whiteboard.addHandler(message -> {
            first.handle(message);
            handOff.wake();
        }, Map.of(MessageHandler.NAME, "first"));
        whiteboard.addHandler(message -> {
            second.handle(message);
            handOff.wake();
        }, Map.of(MessageHandler.NAME, "second"));
        await().atMost(Duration.ofSeconds(20)).until(() -> first.distinct() == 400 && second.distinct() == 400);
        assertThat(first.duplicates()).isZero();
        assertThat(second.duplicates()).isZero();
    }

    @Test
    void retryDelaysDoubleUpToTheMaximum() {
        assertThat(List.of(1, 2, 3, 4).stream().map(handOff::delay)).containsExactly(Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200));
    }
}
