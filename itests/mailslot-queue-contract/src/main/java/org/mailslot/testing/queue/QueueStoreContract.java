package org.mailslot.testing.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.LeaseLostException;
import org.mailslot.api.queue.Notice;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.submission.MessageWriter;

/**
 * What every {@link QueueStore} does, as its consumer (the delivery scheduler) and an operator rely on
 * it: a message enqueued is durable and then visible; due times; each recipient's state across
 * deferrals; one lease per message at a time, its outcome recorded with its notices, a lease lost when
 * it expires; hold, release, delete, flush and wake-ups, also of a message whose attempt is under way;
 * the operator's view of the queue.
 *
 * <p>A store's test extends this and says how to open its store over storage of the test's own, and
 * how time passes for it: a store that reads a test clock moves it, one that runs on real time (a
 * broker's scheduled delivery) is waited for, so the due times here are a few seconds ahead. Every
 * store runs every case: a part of the contract a store does not keep is a failing test, not a skipped one.
 */
public abstract class QueueStoreContract {

    /** How far ahead a deferral sets the next attempt where the test waits for it. */
    protected static final Duration SOON = Duration.ofSeconds(2);
    /** A lease that outlives every test. */
    protected static final Duration LEASE = Duration.ofMinutes(10);
    /** A next attempt that no test lives to see. */
    protected static final Duration LATER = Duration.ofHours(1);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    protected QueueStore store;
    private AutoCloseable attachment;
    private final RecordingConsumer consumer = new RecordingConsumer();
    /** Every lane the store said may have due messages. */
    protected final List<Lane> told = consumer.told();
    private final AtomicInteger messages = new AtomicInteger();

    /**
     * @return the store of this test: the first call over new, empty storage, each later one over the
     *     same storage again, as a process that starts after the last one ended
     */
    protected abstract QueueStore open() throws Exception;

    /** Closes a store, as its process ends. */
    protected abstract void close(QueueStore store) throws Exception;

    /** @return the clock the store reads */
    protected abstract Clock clock();

    /** Lets time pass until the instant: a test clock is moved, real time waited for. */
    protected abstract void passUntil(Instant instant);

    @BeforeEach
    void openStore() throws Exception {
        store = open();
        attachment = store.attach(consumer);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            close(store);
        }
    }

    /** Closes the store and opens it again over the same storage, with the consumer attached. */
    protected void reopen() throws Exception {
        close(store);
        store = null;
        store = open();
        attachment = store.attach(consumer);
    }

    // Enqueueing

    @Test
    public void aMessageIsVisibleOnlyOnceCommittedAndDueAtOnceInTheLaneItsConsumerSays() throws Exception {
        byte[] octets = message();
        try (MessageWriter writer = store.begin(envelope("alice@example.org", "carol@example.net"))) {
            writer.write(octets, 0, octets.length);
            assertThat(store.depth()).as("written, not committed").isZero();
            assertThat(store.list()).isEmpty();
            assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
            String id = writer.commit().id();

            assertThat(told).contains(Lane.REMOTE);
            assertThat(store.depth()).isEqualTo(1);
            QueueEntry entry = store.entry(id).orElseThrow();
            assertThat(entry.sender()).map(Object::toString).contains("alice@example.org");
            assertThat(entry.recipients()).extracting(r -> r.address().toString(), RecipientState::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("carol@example.net", Status.PENDING));
            assertThat(entry.size()).isEqualTo(octets.length);
            assertThat(entry.attempts()).isZero();
            assertThat(entry.held()).isFalse();
            assertThat(entry.waiting()).isEmpty();
            assertThat(store.take(Lane.LOCAL, LEASE)).as("not in the other lane").isEmpty();
            Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
            assertThat(lease.id()).isEqualTo(id);
            assertThat(lease.size()).isEqualTo(octets.length);
            assertThat(lease.envelope().reversePath()).map(Object::toString).contains("alice@example.org");
            assertThat(lease.state().attempts()).isZero();
            assertThat(lease.state().recipients()).extracting(RecipientProgress::status).containsExactly(Status.PENDING);
            assertThat(read(lease.message())).isEqualTo(octets);
            assertThat(read(lease.message())).as("read again").isEqualTo(octets);
        }
    }

    @Test
    public void aCommittedMessageOutlivesTheStoreAndAnAbandonedOneLeavesNothing() throws Exception {
        byte[] octets = message();
        try (MessageWriter abandoned = store.begin(envelope("alice@example.org", "dave@example.net"))) {
            abandoned.write(octets, 0, octets.length);
        }
        String id = enqueue("carol@example.net");

        reopen();

        assertThat(store.list()).extracting(QueueEntry::id).containsExactly(id);
        Lease lease = takeSoon(Lane.REMOTE);
        assertThat(lease.id()).isEqualTo(id);
        assertThat(lease.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("carol@example.net");
        assertThat(read(lease.message())).startsWith("Subject: contract".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    public void aMessageThatRequiresTlsStillRequiresItAfterARestartAndOthersDoNot() throws Exception {
        byte[] octets = message();
        String requiring;
        try (MessageWriter writer = store.begin(Envelope.builder().from("alice@example.org").to("carol@example.net")
                .requireTls(true).build())) {
            writer.write(octets, 0, octets.length);
            requiring = writer.commit().id();
        }
        String plain = enqueue("dave@example.net");

        reopen();

        Lease first = takeSoon(Lane.REMOTE);
        Lease second = takeSoon(Lane.REMOTE);
        assertThat(List.of(first, second)).extracting(Lease::id, l -> l.envelope().requireTls())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(requiring, true),
                        org.assertj.core.groups.Tuple.tuple(plain, false));
    }

    @Test
    public void eachLaneGivesOutItsOwnMessagesOnly() throws Exception {
        String local = enqueue("bob@localhost", "carol@example.net");
        String remote = enqueue("dave@example.net");

        assertThat(told).contains(Lane.LOCAL, Lane.REMOTE);
        assertThat(store.take(Lane.LOCAL, LEASE)).map(Lease::id).contains(local);
        assertThat(store.take(Lane.LOCAL, LEASE)).isEmpty();
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(remote);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
    }

    @Test
    public void theQueueIsListedOldestFirstAndCounted() throws Exception {
        String first = enqueue("carol@example.net");
        passUntil(clock().instant().plusMillis(5));
        String second = enqueue("bob@localhost");
        passUntil(clock().instant().plusMillis(5));
        String third = enqueue("dave@example.net");

        assertThat(store.list()).extracting(QueueEntry::id).containsExactly(first, second, third);
        assertThat(store.depth()).isEqualTo(3);
        assertThat(store.entry("NO-SUCH-ID")).isEmpty();
    }

    @Test
    public void theOctetsOfAQueuedMessageCanBeRead() throws Exception {
        String id = enqueue("carol@example.net");

        assertThat(read(store.content(id).orElseThrow())).startsWith("Subject: contract".getBytes(StandardCharsets.US_ASCII));
        assertThat(store.content("NO-SUCH-ID")).isEmpty();
    }

    // Leases

    @Test
    public void aMessageIsLeasedToOneTakerAtATimeAndDueAgainWhenPutBack() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 12; i++) {
            ids.add(enqueue("carol" + i + "@example.net"));
        }
        List<Lease> taken = new CopyOnWriteArrayList<>();
        ExecutorService takers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(takers.submit(() -> {
                    for (Optional<Lease> next = store.take(Lane.REMOTE, LEASE); next.isPresent();
                            next = store.take(Lane.REMOTE, LEASE)) {
                        taken.add(next.get());
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            takers.shutdownNow();
        }

        assertThat(taken).extracting(Lease::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        Lease back = taken.get(0);
        back.putBack();
        assertThat(takeSoon(Lane.REMOTE).id()).isEqualTo(back.id());
        assertThatThrownBy(back::putBack).isInstanceOf(IllegalStateException.class);
    }

    @Test
    public void aMessageUnderWayIsListedWithoutANextAttempt() throws Exception {
        String id = enqueue("carol@example.net");
        store.take(Lane.REMOTE, LEASE).orElseThrow();

        assertThat(store.entry(id).orElseThrow().nextAttempt()).isEmpty();
        assertThat(store.depth()).isEqualTo(1);
    }

    @Test
    public void aDeferralKeepsEveryRecipientsStateAndTheMessageFallsDueAtItsTime() throws Exception {
        String id = enqueue("carol@example.net", "dave@example.net");
        Lease first = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Instant next = soon();
        DeliveryState afterFirst = new DeliveryState(1, next, Optional.of(nextHop("451 4.3.0 try later")), List.of(
                delivered(first, 0),
                deferred(first, 1, "451 4.3.0 try later", "4.3.0", true)));
        first.finish(AttemptOutcome.of(afterFirst, true));

        assertThat(store.take(Lane.REMOTE, LEASE)).as("not due before its time").isEmpty();
        QueueEntry entry = store.entry(id).orElseThrow();
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.nextAttempt()).contains(next);
        assertThat(entry.waiting()).contains(nextHop("451 4.3.0 try later"));
        assertThat(entry.lastError()).contains("451 4.3.0 try later");
        assertThat(entry.recipients()).extracting(RecipientState::status).containsExactly(Status.DELIVERED, Status.DEFERRED);
        assertThat(entry.recipients().get(1).lastReply()).contains("451 4.3.0 try later");

        passUntil(next);
        Lease second = takeSoon(Lane.REMOTE);
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.state()).isEqualTo(afterFirst);

        Instant later = soon();
        DeliveryState afterSecond = new DeliveryState(2, later, Optional.of(nextHop("452 4.2.2 mailbox full")),
                List.of(afterFirst.recipients().get(0), deferred(second, 1, "452 4.2.2 mailbox full", "4.2.2", true)));
        second.finish(AttemptOutcome.of(afterSecond, true));
        reopen();
        passUntil(later);
        Lease third = takeSoon(Lane.REMOTE);
        assertThat(third.state()).as("across a restart").isEqualTo(afterSecond);
    }

    @Test
    public void aFinishedMessageLeavesTheQueueAndItsNoticeIsQueuedWithTheOutcome() throws Exception {
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        byte[] report = "Subject: Delivery report\r\n\r\ndelivered\r\n".getBytes(StandardCharsets.US_ASCII);
        lease.finish(new AttemptOutcome(new DeliveryState(1, clock().instant(), Optional.empty(),
                List.of(delivered(lease, 0))), List.of(notice(report, Notice.Kind.SUCCESS)), true));

        assertThat(store.entry(id)).isEmpty();
        assertThat(store.list()).singleElement().satisfies(notice -> {
            assertThat(notice.sender()).as("the null reverse path").isEmpty();
            assertThat(notice.recipients()).extracting(r -> r.address().toString()).containsExactly("alice@example.org");
        });
        Lease noticeLease = takeSoon(Lane.REMOTE);
        assertThat(read(noticeLease.message())).isEqualTo(report);
        assertThatThrownBy(() -> lease.finish(AttemptOutcome.of(lease.state(), true)))
                .as("a lease ends once").isInstanceOf(IllegalStateException.class);
    }

    @Test
    public void aDeferralQueuesItsNoticeToo() throws Exception {
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        lease.finish(new AttemptOutcome(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(lease, 0, "451 4.3.0 later", "4.3.0", true))),
                List.of(notice(message(), Notice.Kind.DELAY)), true));

        assertThat(store.depth()).isEqualTo(2);
        assertThat(store.list()).extracting(QueueEntry::id).contains(id);
        Lease notice = takeSoon(Lane.REMOTE);
        assertThat(notice.envelope().reversePath()).isEmpty();
    }

    @Test
    public void anOutcomeForOtherRecipientsIsRefusedAndTheLeaseStillHolds() throws Exception {
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();

        assertThatThrownBy(() -> lease.finish(AttemptOutcome.of(new DeliveryState(1, clock().instant(), Optional.empty(),
                List.of(RecipientProgress.pending(Recipient.of("eve@example.net")))), true)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        lease.finish(AttemptOutcome.of(new DeliveryState(1, clock().instant(), Optional.empty(),
                List.of(delivered(lease, 0))), true));
        assertThat(store.entry(id)).isEmpty();
    }

    @Test
    public void aLeaseNotFinishedInItsTimeIsLostAndItsMessageDueAgainAsItWas() throws Exception {
        String id = enqueue("carol@example.net");
        Instant taken = clock().instant();
        Lease late = store.take(Lane.REMOTE, SOON).orElseThrow();
        assertThat(late.expires()).isBetween(taken.plus(SOON), clock().instant().plus(SOON));

        passUntil(late.expires());
        Lease again = takeSoon(Lane.REMOTE);

        assertThat(again.id()).isEqualTo(id);
        assertThat(again.state().attempts()).isZero();
        assertThatThrownBy(() -> late.finish(new AttemptOutcome(new DeliveryState(1, later(), Optional.of(nextHop("451")),
                List.of(deferred(late, 0, "451 4.3.0 late", "4.3.0", false))), List.of(notice(message(), Notice.Kind.DELAY)),
                true))).isInstanceOf(LeaseLostException.class);
        assertThat(late.renew(LEASE)).isFalse();
        late.putBack();
        assertThat(store.depth()).as("no notice of the lost attempt").isEqualTo(1);
        again.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(again, 0, "451 4.3.0 later", "4.3.0", false))), true));
        assertThat(store.entry(id).orElseThrow().attempts()).as("the late attempt recorded nothing").isEqualTo(1);
    }

    @Test
    public void aRenewedLeaseOutlivesItsFirstTime() throws Exception {
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, SOON).orElseThrow();
        Instant first = lease.expires();

        assertThat(lease.renew(LEASE)).isTrue();
        assertThat(lease.expires()).isAfter(first);
        passUntil(first.plusMillis(500));

        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        lease.finish(AttemptOutcome.of(new DeliveryState(1, clock().instant(), Optional.empty(),
                List.of(delivered(lease, 0))), true));
        assertThat(store.entry(id)).isEmpty();
    }

    // The operator's actions

    @Test
    public void aHeldMessageIsNotLeasedUntilReleasedAndTheHoldOutlivesTheStore() throws Exception {
        String id = enqueue("carol@example.net");

        assertThat(store.hold(id)).isTrue();
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        QueueEntry held = store.entry(id).orElseThrow();
        assertThat(held.held()).isTrue();
        assertThat(held.waiting()).map(Waiting::reason).contains(WaitReason.HELD_BY_OPERATOR);
        assertThat(held.nextAttempt()).isEmpty();

        reopen();
        assertThat(store.entry(id).orElseThrow().held()).isTrue();
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();

        told.clear();
        assertThat(store.release(id)).isTrue();
        assertThat(told).contains(Lane.REMOTE);
        assertThat(store.entry(id).orElseThrow().held()).isFalse();
        assertThat(takeSoon(Lane.REMOTE).id()).isEqualTo(id);
        assertThat(store.hold("NO-SUCH-ID")).isFalse();
        assertThat(store.release("NO-SUCH-ID")).isFalse();
    }

    @Test
    public void aDeletedMessageIsGoneAndOneUnderWayGoesWhenItsAttemptEnds() throws Exception {
        String waiting = enqueue("carol@example.net");
        String underWay = enqueue("dave@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        String leased = lease.id();
        String other = leased.equals(waiting) ? underWay : waiting;

        assertThat(store.delete(other)).isTrue();
        assertThat(store.entry(other)).isEmpty();
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        assertThat(store.delete(leased)).isTrue();
        lease.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(lease, 0, "451 4.3.0 later", "4.3.0", false))), true));

        assertThat(store.list()).isEmpty();
        assertThat(store.depth()).isZero();
        assertThat(store.delete("NO-SUCH-ID")).isFalse();
    }

    @Test
    public void aFlushMakesEveryMessageThatIsNotHeldDueNow() throws Exception {
        List<String> deferred = List.of(deferLater(enqueue("carol@example.net")), deferLater(enqueue("dave@example.net")));
        String held = enqueue("erin@example.net");
        store.hold(held);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();

        told.clear();
        assertThat(store.flush()).isEqualTo(2);

        assertThat(told).contains(Lane.REMOTE);
        assertThat(List.of(takeSoon(Lane.REMOTE).id(), takeSoon(Lane.REMOTE).id()))
                .containsExactlyInAnyOrderElementsOf(deferred);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        assertThat(store.entry(held).orElseThrow().held()).isTrue();
    }

    @Test
    public void aFlushOfOneMessageMakesItDueAndLeavesAHeldOneHeld() throws Exception {
        String waiting = deferLater(enqueue("carol@example.net"));
        String other = deferLater(enqueue("dave@example.net"));
        String held = enqueue("erin@example.net");
        store.hold(held);

        assertThat(store.flush(waiting)).isTrue();
        assertThat(takeSoon(Lane.REMOTE).id()).isEqualTo(waiting);
        assertThat(store.flush(held)).isTrue();
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        assertThat(store.entry(held).orElseThrow().held()).isTrue();
        assertThat(store.entry(other).orElseThrow().nextAttempt()).isPresent();
        assertThat(store.flush("NO-SUCH-ID")).isFalse();
    }

    @Test
    public void aFlushDuringAnAttemptMakesTheMessageDueWhenTheAttemptEnds() throws Exception {
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();

        store.flush();
        told.clear();
        lease.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(lease, 0, "451 4.3.0 later", "4.3.0", false))), true));

        assertThat(told).as("the consumer did not ask for it").contains(Lane.REMOTE);
        Lease again = takeSoon(Lane.REMOTE);
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.state().attempts()).isEqualTo(1);

        store.flush(id);
        again.finish(AttemptOutcome.of(new DeliveryState(2, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(again, 0, "451 4.3.0 later", "4.3.0", false))), true));
        assertThat(takeSoon(Lane.REMOTE).state().attempts()).as("flushed by id").isEqualTo(2);
    }

    @Test
    public void whatAMessageWaitsForComingMakesItDueAndOthersWait() throws Exception {
        String noTransport = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Waiting forTransport = new Waiting(WaitReason.NO_TRANSPORT, "no MailTransport service");
        lease.finish(AttemptOutcome.of(new DeliveryState(0, later(), Optional.of(forTransport),
                List.of(waitingFor(lease, 0, forTransport))), true));
        String nextHop = deferLater(enqueue("dave@example.net"));

        told.clear();
        assertThat(store.dueNow(WaitReason.NO_TRANSPORT)).isEqualTo(1);

        assertThat(told).contains(Lane.REMOTE);
        assertThat(takeSoon(Lane.REMOTE).id()).isEqualTo(noTransport);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        assertThat(store.entry(nextHop).orElseThrow().nextAttempt()).isPresent();
    }

    @Test
    public void whatComesDuringAnAttemptMakesTheMessageDueWhenTheAttemptEndsWaitingForIt() throws Exception {
        String crypto = enqueue("carol@example.net");
        String other = enqueue("dave@example.net");
        Lease first = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Lease second = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Lease waitsForCrypto = first.id().equals(crypto) ? first : second;
        Lease waitsForNextHop = waitsForCrypto == first ? second : first;

        store.dueNow(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
        Waiting forCrypto = new Waiting(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING,
                "encryption required for carol@example.net: mailslot-openpgp not available");
        waitsForCrypto.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(forCrypto),
                List.of(waitingFor(waitsForCrypto, 0, forCrypto))), true));
        waitsForNextHop.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(waitsForNextHop, 0, "451 4.3.0 later", "4.3.0", false))), true));

        assertThat(takeSoon(Lane.REMOTE).id()).isEqualTo(crypto);
        assertThat(store.take(Lane.REMOTE, LEASE)).as(other + " waits for the next hop").isEmpty();
    }

    @Test
    public void oneConsumerAttachesAndLeasesAreOnlyForIt() throws Exception {
        enqueue("carol@example.net");

        assertThatThrownBy(() -> store.attach(consumer)).isInstanceOf(IllegalStateException.class);
        attachment.close();
        assertThatThrownBy(() -> store.take(Lane.REMOTE, LEASE)).isInstanceOf(IllegalStateException.class);
        attachment = store.attach(consumer);
        assertThat(takeSoon(Lane.REMOTE)).isNotNull();
    }

    // Helpers

    /** @return the lease of the lane's next due message, waiting for it as long as a broker may take */
    protected Lease takeSoon(Lane lane) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> store.take(lane, LEASE), Optional::isPresent).orElseThrow();
    }

    protected String enqueue(String... recipients) throws Exception {
        byte[] octets = message();
        try (MessageWriter writer = store.begin(envelope("alice@example.org", recipients))) {
            writer.write(octets, 0, octets.length);
            return writer.commit().id();
        }
    }

    /** Leases the message (due now, the lane's only one) and defers it for an hour; @return its id */
    private String deferLater(String id) throws Exception {
        Lease lease = takeSoon(Lane.REMOTE);
        assertThat(lease.id()).isEqualTo(id);
        lease.finish(AttemptOutcome.of(new DeliveryState(1, later(), Optional.of(nextHop("451 4.3.0 later")),
                List.of(deferred(lease, 0, "451 4.3.0 later", "4.3.0", false))), true));
        return id;
    }

    private Instant soon() {
        return clock().instant().plus(SOON).truncatedTo(ChronoUnit.MILLIS);
    }

    private Instant later() {
        return clock().instant().plus(LATER).truncatedTo(ChronoUnit.MILLIS);
    }

    private static Envelope envelope(String from, String... recipients) {
        Envelope.Builder builder = Envelope.builder();
        if (!from.isEmpty()) {
            builder.from(from);
        }
        for (String recipient : recipients) {
            builder.to(recipient);
        }
        return builder.build();
    }

    private static Notice notice(byte[] octets, Notice.Kind kind) {
        return new Notice(envelope("", "alice@example.org"), MessageSource.of(octets), kind);
    }

    private byte[] message() {
        return ("Subject: contract " + messages.incrementAndGet() + "\r\n\r\nThe store keeps this.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static Waiting nextHop(String reply) {
        return new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, reply);
    }

    private static RecipientProgress delivered(Lease lease, int index) {
        return new RecipientProgress(lease.state().recipients().get(index).recipient(), Status.DELIVERED,
                Optional.of("250 2.0.0 ok"), Optional.empty(), Optional.empty(), false);
    }

    private static RecipientProgress deferred(Lease lease, int index, String reply, String status, boolean delayNoticed) {
        return new RecipientProgress(lease.state().recipients().get(index).recipient(), Status.DEFERRED,
                Optional.of(reply), Optional.of(nextHop(reply)), Optional.of(status), delayNoticed);
    }

    private static RecipientProgress waitingFor(Lease lease, int index, Waiting waiting) {
        return new RecipientProgress(lease.state().recipients().get(index).recipient(), Status.DEFERRED,
                Optional.of(waiting.detail()), Optional.of(waiting), Optional.empty(), false);
    }

    protected static byte[] read(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }
}
