package org.mailslot.queue.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.Notice;
import org.mailslot.api.queue.QueueConsumer;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.testing.peers.ArtemisPeer;

/**
 * The store against a real Artemis 2.40.0 broker: two store objects stand for two nodes sharing it. One
 * broker for the class (the tests that stop or kill it start it again), one broker queue per test.
 */
class ArtemisQueueStoreIT {

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static ArtemisPeer broker;

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final QueueConsumer LOCAL_ONLY = new QueueConsumer() {
        @Override
        public Lane laneOf(List<Recipient> pending) {
            return Lane.LOCAL;
        }

        @Override
        public void due(Lane lane) {
        }
    };

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

    @BeforeEach
    void ownQueueOnARunningBroker() {
        queue = "mailslot.queue." + QUEUES.incrementAndGet();
        if (!broker.isRunning()) {
            // a test that stopped it failed before it started it again
            broker.start();
        }
    }

    @Test
    void aCommittedMessageIsOnTheBrokerAndLeasedWithItsOctetsAndEnvelope() throws Exception {
        try (ArtemisQueueStore node = store()) {
            node.attach(LOCAL_ONLY);
            byte[] small = "Subject: small\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] large = message(300 * 1024);
            String smallId = enqueue(node, "a@example.test", "b@example.test", small);
            String largeId = enqueue(node, "a@example.test", "c@example.test", large);

            assertThat(broker.messageCount(queue)).contains(2L);
            assertThat(node.depth()).isEqualTo(2);

            Lease first = node.take(Lane.LOCAL, LEASE).orElseThrow();
            Lease second = node.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(List.of(first.id(), second.id())).containsExactly(smallId, largeId);
            assertThat(read(first.message())).isEqualTo(small);
            assertThat(read(second.message())).isEqualTo(large);
            assertThat(second.size()).isEqualTo(large.length);
            assertThat(second.envelope().recipients()).extracting(r -> r.address().toString())
                    .containsExactly("c@example.test");
            assertThat(node.take(Lane.LOCAL, LEASE)).as("nothing else is due").isEmpty();

            first.finish(AttemptOutcome.of(finished(first.state()), true));
            second.finish(AttemptOutcome.of(finished(second.state()), true));

            assertThat(node.depth()).isZero();
        }
    }

    @Test
    void aLeasedMessageIsGivenToNoOtherNodeUntilItsHolderGoesAway() throws Exception {
        try (ArtemisQueueStore a = store(); ArtemisQueueStore b = store()) {
            a.attach(LOCAL_ONLY);
            b.attach(LOCAL_ONLY);
            String id = enqueue(a, "a@example.test", "b@example.test", message(100));

            Lease held = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(held.id()).isEqualTo(id);
            assertThat(b.take(Lane.LOCAL, LEASE)).isEmpty();

            a.close(); // node a's connection ends, as when its process is killed

            Lease taken = await().atMost(Duration.ofSeconds(30)).until(() -> b.take(Lane.LOCAL, LEASE),
                    Optional::isPresent).orElseThrow();
            assertThat(taken.id()).isEqualTo(id);
            assertThat(taken.state().attempts()).isZero();
        }
    }

    @Test
    void aLeaseNotFinishedInItsTimeIsLostAndItsMessageGoesToTheNextTakerAsItWas() throws Exception {
        try (ArtemisQueueStore a = store(); ArtemisQueueStore b = store()) {
            a.attach(LOCAL_ONLY);
            b.attach(LOCAL_ONLY);
            String id = enqueue(a, "a@example.test", "b@example.test", message(100));
            Lease late = a.take(Lane.LOCAL, Duration.ofSeconds(2)).orElseThrow();
            assertThat(late.renew(Duration.ofSeconds(3))).isTrue();
            assertThat(b.take(Lane.LOCAL, LEASE)).as("leased").isEmpty();

            Lease again = await().atMost(Duration.ofSeconds(30)).until(() -> b.take(Lane.LOCAL, LEASE),
                    Optional::isPresent).orElseThrow();
            assertThat(again.id()).isEqualTo(id);
            assertThat(again.state().attempts()).isZero();
            assertThatThrownBy(() -> late.finish(AttemptOutcome.of(finished(late.state()), true)))
                    .isInstanceOf(org.mailslot.api.queue.LeaseLostException.class);
            assertThat(late.renew(LEASE)).isFalse();
            again.finish(AttemptOutcome.of(finished(again.state()), true));
            assertThat(b.depth()).isZero();
        }
    }

    @Test
    void aDeferralReschedulesWithTheNewStateAndItsNoticeInOneTransaction() throws Exception {
        try (ArtemisQueueStore node = store()) {
            node.attach(LOCAL_ONLY);
            String id = enqueue(node, "a@example.test", "b@example.test", message(100));
            Lease lease = node.take(Lane.LOCAL, LEASE).orElseThrow();
            Instant next = Instant.now().plusSeconds(2);
            Waiting waiting = new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 try later");
            RecipientProgress deferred = new RecipientProgress(lease.state().recipients().get(0).recipient(),
                    Status.DEFERRED, Optional.of("451 4.3.0 try later"), Optional.of(waiting), Optional.of("4.3.0"),
                    true);
            Envelope dsn = Envelope.builder().to(Recipient.of("a@example.test")).build();
            lease.finish(new AttemptOutcome(new DeliveryState(1, next, Optional.of(waiting), List.of(deferred)),
                    List.of(new Notice(dsn, MessageSource.of(message(50)), Notice.Kind.NON_DELIVERY)), true));

            assertThat(node.depth()).as("the deferred message and its notice").isEqualTo(2);
            Lease notice = node.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(notice.envelope().reversePath()).isEmpty();
            assertThat(node.take(Lane.LOCAL, LEASE)).as("the deferred message is not due before its time").isEmpty();

            Lease again = await().atMost(Duration.ofSeconds(30)).until(() -> node.take(Lane.LOCAL, LEASE),
                    Optional::isPresent).orElseThrow();
            assertThat(again.id()).isEqualTo(id);
            assertThat(again.state().attempts()).isEqualTo(1);
            assertThat(again.state().recipients().get(0)).isEqualTo(deferred);
            assertThat(Instant.now()).isAfterOrEqualTo(next.minusMillis(50));
            notice.putBack();
            again.putBack();
        }
    }

    @Test
    void anyNodeListsAndDeletesMessagesWhetherDueScheduledOrLeased() throws Exception {
        try (ArtemisQueueStore a = store(); ArtemisQueueStore b = store()) {
            a.attach(LOCAL_ONLY);
            String ready = enqueue(a, "a@example.test", "ready@example.test", message(100));
            String deferred = enqueue(a, "a@example.test", "deferred@example.test", message(100));
            String leased = enqueue(a, "a@example.test", "leased@example.test", message(100));
            a.take(Lane.LOCAL, LEASE).orElseThrow().putBack(); // ready goes to the end, unchanged
            Lease toDefer = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(toDefer.id()).isEqualTo(deferred);
            Waiting waiting = new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 try later");
            toDefer.finish(AttemptOutcome.of(new DeliveryState(1, Instant.now().plusSeconds(3600), Optional.of(waiting),
                    List.of(new RecipientProgress(toDefer.state().recipients().get(0).recipient(), Status.DEFERRED,
                            Optional.of("451 4.3.0 try later"), Optional.of(waiting), Optional.empty(), false))),
                    true));
            Lease held = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(held.id()).isEqualTo(leased);

            assertThat(b.list()).extracting(e -> e.id()).containsExactlyInAnyOrder(ready, deferred, leased);
            assertThat(b.entry(deferred).orElseThrow().attempts()).isEqualTo(1);
            assertThat(b.entry(deferred).orElseThrow().waiting()).contains(waiting);
            assertThat(b.entry(ready).orElseThrow().recipients()).extracting(r -> r.address().toString())
                    .containsExactly("ready@example.test");
            assertThat(b.depth()).isEqualTo(3);

            assertThat(b.delete(deferred)).isTrue();
            assertThat(b.delete(ready)).isTrue();
            assertThat(b.delete("NO-SUCH-ID")).isFalse();
            assertThat(b.list()).extracting(e -> e.id()).containsExactly(leased);
            assertThat(b.delete(leased)).as("being attempted: deleted when the attempt ends").isTrue();
            held.putBack();
            assertThat(b.list()).isEmpty();
            assertThat(b.depth()).isZero();
        }
    }

    @Test
    void aBrokerThatIsDownRefusesTheMessageTemporarilyAndTakesItWhenBack() throws Exception {
        try (ArtemisQueueStore node = store()) {
            broker.stop();

            assertThatThrownBy(() -> enqueue(node, "a@example.test", "b@example.test", message(100)))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> assertThat(e.reason().replyCode())
                            .isEqualTo(451));

            broker.start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> enqueue(node, "a@example.test", "b@example.test", message(100)) != null);
            assertThat(broker.messageCount(queue)).contains(1L);
        }
    }

    @Test
    void aBrokerKilledMidRunRefusesEnqueuesTemporarilyWithinTheCallTimeoutAndTheNodeCarriesOnWhenItIsBack()
            throws Exception {
        brokerAwayAndBack(broker.url(), broker::kill);
    }

    @Test
    void aBrokerStoppedMidRunDoesTheSameWhenTheUrlAsksToReconnectForever() throws Exception {
        // The failover URL of the production layout: the client would reconnect, and make every new session
        // wait, for as long as the broker is away.
        brokerAwayAndBack("(" + broker.url() + ")?ha=true&reconnectAttempts=-1", broker::stop);
    }

    private void brokerAwayAndBack(String url, Runnable away) throws Exception {
        try (ArtemisQueueStore node = store(url)) {
            node.attach(LOCAL_ONLY);
            String before = enqueue(node, "a@example.test", "b@example.test", message(100));
            assertThat(node.take(Lane.LOCAL, LEASE).map(Lease::id)).contains(before);

            away.run();
            // Every refusal comes within the client's bounded waits (call timeout, a reconnection cut to it), so a
            // listener answers 451 in seconds; three in a row, while the client gives up on its connection.
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> enqueue(node, "a@example.test", "b@example.test", message(100)))
                        .isInstanceOfSatisfying(SubmissionException.class, e -> assertThat(e.reason().replyCode())
                                .isEqualTo(451));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refusal %d", i)
                        .isLessThan(Duration.ofMillis(2 * ClientLimits.CALL_TIMEOUT_MILLIS));
            }
            assertThat(node.take(Lane.LOCAL, LEASE)).as("nothing to take while the broker is away").isEmpty();

            broker.start();
            String after = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> enqueue(node, "a@example.test", "c@example.test", message(100)), id -> id != null);
            List<String> taken = await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<String> ids = new java.util.ArrayList<>();
                for (Optional<Lease> lease = node.take(Lane.LOCAL, LEASE); lease.isPresent();
                        lease = node.take(Lane.LOCAL, LEASE)) {
                    ids.add(lease.get().id());
                    lease.get().finish(AttemptOutcome.of(finished(lease.get().state()), true));
                }
                return ids;
            }, ids -> ids.contains(after));
            assertThat(taken).as("the message leased when the broker went away is given out again")
                    .containsExactlyInAnyOrder(before, after);
            assertThat(node.depth()).isZero();
        }
    }

    @Test
    void anyNodeHoldsReleasesFlushesAndShowsMessagesWhetherDueScheduledOrHeld() throws Exception {
        try (ArtemisQueueStore a = store(); ArtemisQueueStore b = store()) {
            a.attach(LOCAL_ONLY);
            byte[] dueOctets = message(100);
            byte[] laterOctets = message(300 * 1024);
            String due = enqueue(a, "a@example.test", "due@example.test", dueOctets);
            String later = enqueue(a, "a@example.test", "later@example.test", laterOctets);
            Instant nextHour = Instant.now().plusSeconds(3600);
            defer(a, due, Instant.now(), WaitReason.DEFERRED_BY_NEXT_HOP);
            defer(a, later, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);

            assertThat(read(b.content(later).orElseThrow())).as("a scheduled message's octets").isEqualTo(laterOctets);
            assertThat(b.entry(later).orElseThrow().nextAttempt()).as("still scheduled after it was read")
                    .contains(nextHour.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

            assertThat(b.hold(due)).isTrue();
            assertThat(b.hold(later)).isTrue();
            assertThat(a.take(Lane.LOCAL, LEASE)).as("held messages are not attempted").isEmpty();
            assertThat(b.entry(due).orElseThrow()).satisfies(entry -> {
                assertThat(entry.held()).isTrue();
                assertThat(entry.nextAttempt()).isEmpty();
                assertThat(entry.waiting().map(Waiting::reason)).contains(WaitReason.HELD_BY_OPERATOR);
            });
            assertThat(read(b.content(later).orElseThrow())).as("a held message's octets").isEqualTo(laterOctets);
            assertThat(b.flush()).as("held messages are not flushed").isZero();
            assertThat(b.flush(due)).isTrue();
            assertThat(a.take(Lane.LOCAL, LEASE)).as("a held message stays held when flushed").isEmpty();

            assertThat(b.release(later)).isTrue();
            Lease released = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(released.id()).as("a released message is due at once").isEqualTo(later);
            assertThat(read(released.message())).isEqualTo(laterOctets);
            assertThat(released.state().attempts()).isEqualTo(1);
            assertThat(b.entry(later).orElseThrow().nextAttempt()).as("being attempted").isEmpty();
            assertThat(b.hold(later)).as("held when its attempt ends").isTrue();
            defer(released, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);
            assertThat(b.entry(later).orElseThrow().held()).isTrue();
            assertThat(a.take(Lane.LOCAL, LEASE)).isEmpty();

            assertThat(b.release(later)).isTrue();
            Lease again = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(b.flush(later)).as("due when its attempt ends").isTrue();
            defer(again, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);
            Lease flushedDuringAttempt = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(flushedDuringAttempt.id()).isEqualTo(later);
            defer(flushedDuringAttempt, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);

            assertThat(b.flush(later)).isTrue();
            Lease flushed = a.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(flushed.id()).isEqualTo(later);
            assertThat(flushed.state().nextAttempt()).isBeforeOrEqualTo(Instant.now());
            defer(flushed, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);
            assertThat(b.release(due)).isTrue();
            assertThat(b.flush()).isEqualTo(2);
            assertThat(List.of(a.take(Lane.LOCAL, LEASE).orElseThrow().id(), a.take(Lane.LOCAL, LEASE).orElseThrow()
                    .id())).containsExactlyInAnyOrder(due, later);

            assertThat(b.hold("NO-SUCH-ID")).isFalse();
            assertThat(b.release("NO-SUCH-ID")).isFalse();
            assertThat(b.flush("NO-SUCH-ID")).isFalse();
            assertThat(b.content("NO-SUCH-ID")).isEmpty();
        }
    }

    @Test
    void dueNowMakesDueTheMessagesWaitingForTheReasonOnlyAlsoWhenItComesDuringTheirAttempt() throws Exception {
        try (ArtemisQueueStore node = store()) {
            node.attach(LOCAL_ONLY);
            String noTransport = enqueue(node, "a@example.test", "b@example.test", message(100));
            String deferred = enqueue(node, "a@example.test", "c@example.test", message(100));
            Instant nextHour = Instant.now().plusSeconds(3600);
            defer(node, noTransport, nextHour, WaitReason.NO_TRANSPORT);
            defer(node, deferred, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);

            assertThat(node.dueNow(WaitReason.NO_TRANSPORT)).isEqualTo(1);
            Lease transportCame = node.take(Lane.LOCAL, LEASE).orElseThrow();
            assertThat(transportCame.id()).isEqualTo(noTransport);
            assertThat(node.take(Lane.LOCAL, LEASE)).as("the message waiting for its next hop waits on").isEmpty();
            assertThat(node.dueNow(WaitReason.MISSING_PIPELINE_STAGE)).isZero();
            defer(transportCame, nextHour, WaitReason.NO_TRANSPORT);

            assertThat(node.flush()).isEqualTo(2);
            Lease first = node.take(Lane.LOCAL, LEASE).orElseThrow();
            Lease second = node.take(Lane.LOCAL, LEASE).orElseThrow();
            node.dueNow(WaitReason.MISSING_PIPELINE_STAGE);
            defer(first, nextHour, WaitReason.MISSING_PIPELINE_STAGE);
            defer(second, nextHour, WaitReason.DEFERRED_BY_NEXT_HOP);
            assertThat(node.take(Lane.LOCAL, LEASE).map(Lease::id)).as("what it waited for came during its attempt")
                    .contains(first.id());
            assertThat(node.take(Lane.LOCAL, LEASE)).isEmpty();
        }
    }

    /** Takes the message and defers it until {@code next}, waiting for the reason. */
    private static void defer(ArtemisQueueStore node, String id, Instant next, WaitReason reason) throws IOException {
        Lease lease = node.take(Lane.LOCAL, LEASE).orElseThrow();
        assertThat(lease.id()).isEqualTo(id);
        defer(lease, next, reason);
    }

    private static void defer(Lease lease, Instant next, WaitReason reason) throws IOException {
        Waiting waiting = new Waiting(reason, "451 4.3.0 try later");
        lease.finish(AttemptOutcome.of(new DeliveryState(lease.state().attempts() + 1, next, Optional.of(waiting),
                lease.state().recipients().stream().map(r -> new RecipientProgress(r.recipient(), Status.DEFERRED,
                        Optional.of("451 4.3.0 try later"), Optional.of(waiting), Optional.empty(), false)).toList()),
                true));
    }

    private ArtemisQueueStore store() {
        return store(broker.url());
    }

    private ArtemisQueueStore store(String url) {
        StoreSettings settings = new StoreSettings(true, url, broker.user(), broker.password(), queue);
        return new ArtemisQueueStore(new Broker(settings), bodies, Clock.systemUTC());
    }

    private static String enqueue(ArtemisQueueStore store, String from, String to, byte[] octets)
            throws SubmissionException {
        try (MessageWriter writer = store.begin(Envelope.builder().from(MailAddress.parse(from))
                .to(Recipient.of(to)).build())) {
            for (int offset = 0; offset < octets.length; offset += 8192) {
                writer.write(octets, offset, Math.min(8192, octets.length - offset));
            }
            return writer.commit().id();
        }
    }

    private static DeliveryState finished(DeliveryState state) {
        return new DeliveryState(state.attempts() + 1, state.nextAttempt(), Optional.empty(),
                state.recipients().stream().map(r -> new RecipientProgress(r.recipient(), Status.DELIVERED,
                        Optional.of("250 2.0.0 ok"), Optional.empty(), Optional.empty(), false)).toList());
    }

    private static byte[] message(int size) {
        StringBuilder text = new StringBuilder("Subject: test\r\n\r\n");
        while (text.length() < size - 2) {
            text.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }
}
