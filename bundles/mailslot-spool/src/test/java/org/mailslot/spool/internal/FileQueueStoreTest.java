package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.read;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.Notice;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.testing.peers.MutableClock;
import org.mailslot.testing.queue.RecordingConsumer;

/** The queue-store SPI as the file store keeps it: lanes, leases, outcomes with their notices, the operator's actions. */
class FileQueueStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private FileSpool spool;
    private FileQueueStore store;
    private final RecordingConsumer consumer = new RecordingConsumer();
    private final List<Lane> told = consumer.told();

    private FileQueueStore open() throws Exception {
        spool = new FileSpool(dir, 1 << 20, SpoolIo.SYSTEM, clock);
        store = new FileQueueStore(spool, clock);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private String enqueue(String... recipients) throws Exception {
        return submit(store::begin, envelope("alice@example.org", recipients), message("m", "body")).id();
    }

    private static AttemptOutcome deferred(Lease lease, Instant next) {
        List<RecipientProgress> recipients = lease.state().recipients().stream()
                .map(r -> new RecipientProgress(r.recipient(), Status.DEFERRED, Optional.of("451 4.3.0 later"),
                        Optional.of(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 later")), Optional.of("4.3.0"),
                        false))
                .toList();
        return AttemptOutcome.of(new DeliveryState(lease.state().attempts() + 1, next,
                Optional.of(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 later")), recipients), true);
    }

    private static DeliveryState delivered(Lease lease) {
        return new DeliveryState(lease.state().attempts() + 1, T0, Optional.empty(), lease.state().recipients().stream()
                .map(r -> new RecipientProgress(r.recipient(), Status.DELIVERED, Optional.of("250 ok"), Optional.empty(),
                        Optional.empty(), false))
                .toList());
    }

    @Test
    void aCommittedMessageIsDueInTheLaneTheConsumerChoseAndTheConsumerIsTold() throws Exception {
        open().attach(consumer);
        String local = enqueue("bob@localhost", "carol@example.net");
        String remote = enqueue("dave@example.net");

        assertThat(told).containsExactly(Lane.LOCAL, Lane.REMOTE);
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(remote);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        Lease lease = store.take(Lane.LOCAL, LEASE).orElseThrow();
        assertThat(lease.id()).isEqualTo(local);
        assertThat(lease.state().attempts()).isZero();
        assertThat(lease.state().recipients()).extracting(RecipientProgress::status)
                .containsExactly(Status.PENDING, Status.PENDING);
        assertThat(new String(read(lease.message()))).contains("Subject: m");
        assertThat(lease.expires()).isEqualTo(T0.plus(LEASE));
    }

    @Test
    void aLeasedMessageIsNotTakenAgainAndADeferredOneFallsDueAtItsTimeInTheLaneItsPendingRecipientsSay() throws Exception {
        open().attach(consumer);
        String id = enqueue("bob@localhost", "carol@example.net");
        Lease lease = store.take(Lane.LOCAL, LEASE).orElseThrow();
        assertThat(store.take(Lane.LOCAL, LEASE)).isEmpty();
        assertThat(store.entry(id).orElseThrow().nextAttempt()).as("under way").isEmpty();

        List<RecipientProgress> start = lease.state().recipients();
        lease.finish(AttemptOutcome.of(new DeliveryState(1, T0.plusSeconds(300),
                Optional.of(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 later")), List.of(
                        new RecipientProgress(start.get(0).recipient(), Status.DELIVERED, Optional.of("250 ok"),
                                Optional.empty(), Optional.empty(), false),
                        new RecipientProgress(start.get(1).recipient(), Status.DEFERRED, Optional.of("451 4.3.0 later"),
                                Optional.of(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.3.0 later")),
                                Optional.of("4.3.0"), false))), true));

        QueueEntry entry = store.entry(id).orElseThrow();
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.nextAttempt()).contains(T0.plusSeconds(300));
        assertThat(entry.waiting()).map(Waiting::reason).contains(WaitReason.DEFERRED_BY_NEXT_HOP);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        clock.advance(Duration.ofSeconds(300));
        assertThat(store.take(Lane.LOCAL, LEASE)).isEmpty();
        Lease again = store.take(Lane.REMOTE, LEASE).orElseThrow();
        assertThat(again.state().recipients()).extracting(RecipientProgress::status)
                .containsExactly(Status.DELIVERED, Status.DEFERRED);
        assertThat(again.state().recipients().get(1).nextHopStatus()).contains("4.3.0");
    }

    @Test
    void anOutcomeIsKeptAcrossARestartWithEveryRecipientsState() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        lease.finish(deferred(lease, T0.plusSeconds(300)));
        store.close();

        open().attach(consumer);
        clock.advance(Duration.ofSeconds(300));
        Lease after = store.take(Lane.REMOTE, LEASE).orElseThrow();
        assertThat(after.id()).isEqualTo(id);
        assertThat(after.state()).isEqualTo(deferred(lease, T0.plusSeconds(300)).state());
    }

    @Test
    void aFinishedMessageLeavesTheQueueAndItsNoticesAreEnqueuedWithTheOutcome() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        byte[] dsn = message("Delivery report", "delivered").clone();
        lease.finish(new AttemptOutcome(delivered(lease),
                List.of(new Notice(envelope("", "alice@example.org"), MessageSource.of(dsn), Notice.Kind.NON_DELIVERY)), true));

        assertThat(store.entry(id)).isEmpty();
        List<QueueEntry> left = store.list();
        assertThat(left).singleElement().satisfies(notice -> {
            assertThat(notice.sender()).isEmpty();
            assertThat(notice.recipients()).extracting(r -> r.address().toString()).containsExactly("alice@example.org");
        });
        Lease noticeLease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        assertThat(read(noticeLease.message())).isEqualTo(dsn);
        assertThatThrownBy(() -> lease.finish(AttemptOutcome.of(delivered(lease), true)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNoticeThatCannotBeQueuedFailsTheFinishAndNothingOfTheOutcomeCounts() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        MessageSource unreadable = () -> {
            throw new java.io.IOException("the original is gone");
        };

        assertThatThrownBy(() -> lease.finish(new AttemptOutcome(delivered(lease),
                List.of(new Notice(envelope("", "alice@example.org"), unreadable, Notice.Kind.NON_DELIVERY)), true)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("the original is gone");
        assertThat(store.list()).extracting(QueueEntry::id).containsExactly(id);
        assertThat(store.entry(id).orElseThrow().recipients()).extracting(r -> r.status()).containsExactly(Status.PENDING);

        lease.finish(deferred(lease, T0.plusSeconds(60)));
        assertThat(store.entry(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void anOutcomeForOtherRecipientsIsRefused() throws Exception {
        open().attach(consumer);
        enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();

        assertThatThrownBy(() -> lease.finish(AttemptOutcome.of(new DeliveryState(1, T0, Optional.empty(),
                List.of(RecipientProgress.pending(new Recipient(org.mailslot.api.mail.MailAddress.parse("eve@example.net"),
                        java.util.Set.of(), Optional.empty())))), true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eve@example.net");
    }

    @Test
    void aMessagePutBackStaysDueAndIsNotAnnouncedAgain() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        told.clear();
        store.take(Lane.REMOTE, LEASE).orElseThrow().putBack();

        assertThat(told).isEmpty();
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(id);
    }

    @Test
    void aMessageDeletedWhileLeasedIsRemovedWhenTheLeaseEnds() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();

        assertThat(store.delete(id)).isTrue();
        assertThat(store.depth()).isEqualTo(1);
        lease.finish(deferred(lease, T0.plusSeconds(60)));

        assertThat(store.depth()).isZero();
        assertThat(files(dir.resolve("queue"))).isEmpty();
    }

    @Test
    void aHeldMessageIsNotLeasedUntilReleasedAndTheReleaseTellsTheConsumer() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        assertThat(store.hold(id)).isTrue();
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();

        told.clear();
        assertThat(store.release(id)).isTrue();
        assertThat(told).contains(Lane.REMOTE);
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(id);
    }

    @Test
    void dueNowAndFlushMakeWaitingMessagesDueAtOnce() throws Exception {
        open().attach(consumer);
        String noTransport = enqueue("carol@example.net");
        String nextHop = enqueue("dave@example.net");
        Lease first = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Lease second = store.take(Lane.REMOTE, LEASE).orElseThrow();
        Lease waitsForTransport = first.id().equals(noTransport) ? first : second;
        Lease deferredByNextHop = first == waitsForTransport ? second : first;
        DeliveryState state = waitsForTransport.state();
        waitsForTransport.finish(AttemptOutcome.of(new DeliveryState(0, T0.plusSeconds(3600),
                Optional.of(new Waiting(WaitReason.NO_TRANSPORT, "no transport")), state.recipients()), true));
        deferredByNextHop.finish(deferred(deferredByNextHop, T0.plusSeconds(3600)));

        assertThat(store.dueNow(WaitReason.NO_TRANSPORT)).isEqualTo(1);
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(noTransport);
        assertThat(store.take(Lane.REMOTE, LEASE)).isEmpty();
        assertThat(store.flush()).isEqualTo(2);
        assertThat(store.take(Lane.REMOTE, LEASE)).map(Lease::id).contains(nextHop);
    }

    @Test
    void whatWasQueuedBeforeTheConsumerAttachedIsClassifiedWhenItDoes() throws Exception {
        open();
        String id = enqueue("bob@localhost");
        assertThatThrownBy(() -> store.take(Lane.LOCAL, LEASE)).isInstanceOf(IllegalStateException.class);

        AutoCloseable attachment = store.attach(consumer);
        assertThatThrownBy(() -> store.attach(consumer)).isInstanceOf(IllegalStateException.class);
        assertThat(store.take(Lane.LOCAL, LEASE)).map(Lease::id).contains(id);
        attachment.close();
        store.attach(consumer);
    }

    @Test
    void aNonDurableOutcomeIsKeptInMemoryOnly() throws Exception {
        open().attach(consumer);
        String id = enqueue("carol@example.net");
        Lease lease = store.take(Lane.REMOTE, LEASE).orElseThrow();
        AttemptOutcome suspended = deferred(lease, T0.plusSeconds(300));
        lease.finish(AttemptOutcome.of(suspended.state(), false));

        assertThat(store.entry(id).orElseThrow().attempts()).isEqualTo(1);
        assertThat(dir.resolve("queue/" + id + ".state")).doesNotExist();
    }
}
