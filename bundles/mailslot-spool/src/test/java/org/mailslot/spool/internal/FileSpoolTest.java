package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.read;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;

class FileSpoolTest {

    private static final long MAX = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void keepsEveryCommittedMessageAndEnvelopeAcrossARestart() throws Exception {
        Envelope rich = Envelope.builder().from("alice@example.org")
                .to(new Recipient(MailAddress.parse("bob@example.net"), Set.of(DsnNotify.FAILURE, DsnNotify.DELAY),
                        Optional.of("rfc822;bob@example.net")))
                .to("\"john doe\"@example.com").envelopeId("ENV-1").dsnReturn(DsnReturn.FULL)
                .authenticatedSender(MailAddress.parse("alice@example.org")).build();
        byte[] body = message("hello", "Grüße, \u00e9t\u00e9");
        SubmissionReceipt first;
        SubmissionReceipt second;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            first = submit(spool, rich, body);
            second = submit(spool, envelope("", "postmaster@localhost"), message("bounce", "x"));
            assertThat(first.size()).isEqualTo(body.length);
        }

        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.depth()).isEqualTo(2);
            SpoolEntry entry = reopened.entry(first.id()).orElseThrow();
            assertThat(entry.envelope).isEqualTo(rich);
            assertThat(read(entry.body())).isEqualTo(body);
            assertThat(entry.size).isEqualTo(body.length);
            assertThat(reopened.entry(second.id()).orElseThrow().envelope.reversePath()).isEmpty();
        }
    }

    @Test
    void leavesNoTraceOfAMessageThatWasNotCommitted() throws Exception {
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            try (MessageWriter writer = spool.begin(envelope("a@example.org", "b@example.org"))) {
                writer.write(new byte[100], 0, 100);
            }
            // A crash mid-message: the writers are never closed. A small message is only in memory;
            // one too large for a segment record streams to tmp/.
            MessageWriter small = spool.begin(envelope("a@example.org", "b@example.org"));
            small.write(new byte[100], 0, 100);
            assertThat(files(dir.resolve("tmp"))).isEmpty();
            MessageWriter large = spool.begin(envelope("a@example.org", "b@example.org"));
            large.write(new byte[org.mailslot.api.submission.MailSubmission.SMALL_MESSAGE + 1], 0, org.mailslot.api.submission.MailSubmission.SMALL_MESSAGE + 1);
            assertThat(files(dir.resolve("tmp"))).hasSize(1);
            assertThat(spool.depth()).isZero();
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.depth()).isZero();
            assertThat(files(dir.resolve("tmp"))).isEmpty();
            assertThat(files(dir.resolve("queue"))).isEmpty();
        }
    }

    @Test
    void refusesAMessageOverTheSizeLimitWith552AndKeepsNothing() throws Exception {
        try (FileSpool spool = new FileSpool(dir, 1000, SpoolIo.SYSTEM, Clock.systemUTC())) {
            MessageWriter writer = spool.begin(envelope("a@example.org", "b@example.org"));
            writer.write(new byte[1000], 0, 1000);
            assertThatThrownBy(() -> writer.write(new byte[1], 0, 1))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SubmissionException.Reason.TOO_LARGE);
                        assertThat(e.reason().replyCode()).isEqualTo(552);
                        assertThat(e.reason().enhancedCode()).isEqualTo("5.3.4");
                        assertThat(e.isTemporary()).isFalse();
                    });
            assertThatThrownBy(writer::commit).isInstanceOf(SubmissionException.class);
            writer.close();
            assertThat(files(dir.resolve("tmp"))).isEmpty();
            assertThat(spool.depth()).isZero();
            // exactly at the limit is fine
            assertThat(submit(spool, envelope("a@example.org", "b@example.org"), new byte[1000]).size()).isEqualTo(1000);
        }
    }

    @Test
    void concurrentCommitsShareDirectoryFsyncs() throws Exception {
        Fixtures.CountingIo io = new Fixtures.CountingIo();
        int submitters = 32;
        int perSubmitter = 20;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        long roundsBefore;
        try (FileSpool spool = new FileSpool(dir, MAX, io, Clock.systemUTC())) {
            roundsBefore = io.directorySyncs.get();
            ExecutorService pool = Executors.newFixedThreadPool(submitters);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perSubmitter; i++) {
                        ids.add(submit(spool, envelope("a@example.org", "b@example.org"),
                                message("m " + thread + " " + i, "body " + thread + " " + i)).id());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long rounds = io.directorySyncs.get() - roundsBefore;
            int messages = submitters * perSubmitter;
            assertThat(ids).hasSize(messages);
            assertThat(spool.commitRounds()).isEqualTo(rounds);
            long fileSyncs = io.fileSyncs.get();
            System.out.printf("group commit: %d messages in %d directory and %d file fsyncs%n", messages, rounds, fileSyncs);
            assertThat(rounds).as("directory fsync rounds for %d messages", messages).isLessThan(messages / 2);
            assertThat(fileSyncs).as("file fsyncs for %d small messages", messages).isLessThan(messages / 2);
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.entries()).extracting(e -> e.id).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void recoversTheDeliveryStateAndSetsAsideWhatItCannotRead() throws Exception {
        String id;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            id = submit(spool, envelope("a@example.org", "b@example.org", "c@example.org"), message("s", "b")).id();
            SpoolEntry entry = spool.entry(id).orElseThrow();
            List<Recipient> recipients = entry.envelope.recipients();
            entry.apply(new DeliveryState(1, Instant.parse("2030-01-01T00:00:00Z"),
                    Optional.of(new Waiting(WaitReason.NO_TRANSPORT, "451 4.3.0 later")), List.of(
                            new RecipientProgress(recipients.get(0), Status.DELIVERED, Optional.of("250 ok"), Optional.empty(),
                                    Optional.empty(), false),
                            new RecipientProgress(recipients.get(1), Status.DEFERRED, Optional.of("no transport yet"),
                                    Optional.of(new Waiting(WaitReason.NO_TRANSPORT, "no transport yet")), Optional.empty(),
                                    false))));
            entry.hold(true, Instant.now());
            spool.saveState(entry, false);
        }
        java.nio.file.Files.writeString(dir.resolve("queue/garbage.msg"), "not a spool file");
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            var snapshot = reopened.entry(id).orElseThrow().snapshot();
            assertThat(snapshot.attempts()).isEqualTo(1);
            assertThat(snapshot.held()).isTrue();
            assertThat(snapshot.lastError()).contains("451 4.3.0 later");
            assertThat(snapshot.waiting()).contains(new Waiting(WaitReason.HELD_BY_OPERATOR, "451 4.3.0 later"));
            assertThat(reopened.entry(id).orElseThrow().waiting()).contains(new Waiting(WaitReason.NO_TRANSPORT, "451 4.3.0 later"));
            assertThat(recipient(reopened.entry(id).orElseThrow(), "c@example.org").waiting())
                    .contains(new Waiting(WaitReason.NO_TRANSPORT, "no transport yet"));
            assertThat(snapshot.recipients()).extracting(r -> r.address() + " " + r.status())
                    .containsExactly("b@example.org DELIVERED", "c@example.org DEFERRED");
            assertThat(reopened.depth()).isEqualTo(1);
            assertThat(dir.resolve("queue/garbage.msg.corrupt")).exists();
        }
    }

    /** A state as the spool wrote it before it stored wait reasons (only texts), read by this one. */
    @Test
    void aStateWrittenWithoutWaitReasonsIsReadWithTheReasonsItsTextsSay() throws Exception {
        String id;
        Path state;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            id = submit(spool, envelope("s@example.org", "a@example.org", "b@example.org", "c@example.org", "d@example.org"),
                    message("s", "b")).id();
            state = spool.entry(id).orElseThrow().stateFile();
        }
        java.nio.file.Files.writeString(state, """
                attempts=2
                next=2030-01-01T00\\:00\\:00Z
                held=false
                error=waiting for the required pipeline stage dkim (is its bundle started?)
                rcpt.0.status=DELIVERED
                rcpt.0.reply=250 2.0.0 Ok
                rcpt.0.delay.noticed=true
                rcpt.1.status=DEFERRED
                rcpt.1.reply=451 4.3.0 Try again later (127.0.0.2\\:587)
                rcpt.2.status=DEFERRED
                rcpt.2.reply=4.4.1 delivery temporarily suspended\\: no usable port on 127.0.0.2
                rcpt.3.status=DEFERRED
                rcpt.3.reply=encryption required for d@example.org\\: mailslot-openpgp not available
                """);
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            SpoolEntry entry = reopened.entry(id).orElseThrow();
            assertThat(entry.snapshot().waiting()).contains(new Waiting(WaitReason.MISSING_PIPELINE_STAGE,
                    "waiting for the required pipeline stage dkim (is its bundle started?)"));
            assertThat(entry.snapshot().attempts()).isEqualTo(2);
            assertThat(recipient(entry, "b@example.org").waiting()).map(Waiting::reason)
                    .contains(WaitReason.DEFERRED_BY_NEXT_HOP);
            assertThat(recipient(entry, "b@example.org").nextHopStatus()).contains("4.3.0");
            assertThat(recipient(entry, "c@example.org").waiting()).map(Waiting::reason)
                    .contains(WaitReason.DESTINATION_SUSPENDED);
            assertThat(recipient(entry, "c@example.org").nextHopStatus()).isEmpty();
            assertThat(recipient(entry, "d@example.org").waiting()).map(Waiting::reason)
                    .contains(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
            assertThat(recipient(entry, "a@example.org").waiting()).isEmpty();
            assertThat(recipient(entry, "a@example.org").delayNoticed()).isTrue();
            assertThat(entry.snapshot().recipients()).extracting(r -> r.address() + " " + r.status())
                    .containsExactly("a@example.org DELIVERED", "b@example.org DEFERRED", "c@example.org DEFERRED",
                            "d@example.org DEFERRED");
        }
    }

    @Test
    void aDeliveryStateTornByACrashMeansTryingEveryRecipientAgainNotLosingTheMessage() throws Exception {
        String id;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            id = submit(spool, envelope("a@example.org", "b@example.org", "c@example.org"), message("s", "b")).id();
            SpoolEntry entry = spool.entry(id).orElseThrow();
            DeliveryState state = entry.state();
            entry.apply(new DeliveryState(state.attempts(), state.nextAttempt(), state.waiting(), List.of(
                    new RecipientProgress(state.recipients().get(0).recipient(), Status.DELIVERED, Optional.of("250 ok"),
                            Optional.empty(), Optional.empty(), false),
                    state.recipients().get(1))));
            spool.saveState(entry, false);
            java.nio.file.Files.write(entry.stateFile(), new byte[] {'r', 'c', 'p', 't', '.', '0', '.', 's', 't', 'a', 't', 'u', 's', '='});
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.entry(id).orElseThrow().snapshot().recipients()).extracting(r -> r.address() + " " + r.status())
                    .containsExactly("b@example.org PENDING", "c@example.org PENDING");
        }
    }

    @Test
    void smallMessagesShareASegmentThatGoesWithItsLastMessage() throws Exception {
        List<SubmissionReceipt> receipts = new ArrayList<>();
        byte[] large = message("large", "x".repeat(org.mailslot.api.submission.MailSubmission.SMALL_MESSAGE));
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) {
                receipts.add(submit(spool, envelope("a@example.org", "b" + i + "@example.org"), message("small " + i, "body " + i)));
            }
            receipts.add(submit(spool, envelope("a@example.org", "big@example.org"), large));
            assertThat(files(dir.resolve("queue"))).extracting(p -> p.getFileName().toString())
                    .hasSize(2).anyMatch(name -> name.endsWith(".seg")).contains(receipts.get(5).id() + ".msg");
            spool.remove(spool.entry(receipts.get(1).id()).orElseThrow());
            spool.remove(spool.entry(receipts.get(3).id()).orElseThrow());
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            // The finished ones stay finished; the others come back whole, the large one too.
            assertThat(reopened.entries()).extracting(e -> e.id).containsExactlyInAnyOrder(receipts.get(0).id(),
                    receipts.get(2).id(), receipts.get(4).id(), receipts.get(5).id());
            for (int i : new int[] {0, 2, 4}) {
                assertThat(read(reopened.entry(receipts.get(i).id()).orElseThrow().body()))
                        .isEqualTo(message("small " + i, "body " + i));
            }
            assertThat(read(reopened.entry(receipts.get(5).id()).orElseThrow().body())).isEqualTo(large);
            for (SpoolEntry entry : reopened.entries()) {
                reopened.remove(entry);
            }
            assertThat(files(dir.resolve("queue"))).isEmpty();
        }
    }

    @Test
    void aSmallMessageCommitsWithoutBlockingItsCaller() throws Exception {
        String id;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(spool.acceptsSmallMessagesWithoutBlocking()).isTrue();
            MessageWriter writer = spool.begin(envelope("a@example.org", "b@example.org"));
            byte[] body = message("async", "body");
            writer.write(body, 0, body.length);
            // The stage is completed by whichever thread sees the group's fsync done (the committer, or
            // this one if it attaches later); a blocking step would be the executor's, which fails.
            SubmissionReceipt receipt = writer.commitAsync(command -> {
                throw new AssertionError("a small message needs no blocking step");
            }).toCompletableFuture().get(30, TimeUnit.SECONDS);
            writer.close();
            id = receipt.id();
            assertThat(read(spool.entry(id).orElseThrow().body())).isEqualTo(body);
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.entry(id)).isPresent();
            MessageWriter late = reopened.begin(envelope("a@example.org", "b@example.org"));
            late.write(new byte[10], 0, 10);
            reopened.close();
            assertThat(late.commitAsync(Runnable::run).toCompletableFuture())
                    .failsWithin(java.time.Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(SubmissionException.class,
                            e -> assertThat(e.reason()).isEqualTo(SubmissionException.Reason.UNAVAILABLE));
        }
    }

    @Test
    void smallGroupsGoOverZerosWrittenAheadAndLargeOnesAreAppended() throws Exception {
        String small;
        String large;
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            small = submit(spool, envelope("a@example.org", "b@example.org"), message("small", "body")).id();
            Path segment = files(dir.resolve("queue")).get(0);
            byte[] octets = java.nio.file.Files.readAllBytes(segment);
            String text = new String(octets, StandardCharsets.ISO_8859_1);
            int end = text.indexOf('\0');
            assertThat(end).isGreaterThan(text.indexOf("body"));
            // Zeros for the next small records: overwriting them is forced without a journal commit.
            assertThat(octets.length).isGreaterThanOrEqualTo(1024 * 1024);
            assertThat(java.util.Arrays.copyOfRange(octets, end, octets.length)).containsOnly((byte) 0);

            // One of 100 KiB goes at the end of the records, over what zeros there are and past them.
            byte[] hundred = message("large", "y".repeat(100 * 1024));
            spool.remove(spool.entry(small).orElseThrow());
            small = submit(spool, envelope("a@example.org", "b@example.org"), message("small", "again")).id();
            large = submit(spool, envelope("a@example.org", "c@example.org"), hundred).id();
            assertThat(read(spool.entry(large).orElseThrow().body())).isEqualTo(hundred);
        }
        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            // The zeros after the last record are its end, not damage: both come back, nothing else.
            assertThat(reopened.entries()).extracting(e -> e.id).containsExactlyInAnyOrder(small, large);
            assertThat(read(reopened.entry(small).orElseThrow().body())).isEqualTo(message("small", "again"));
        }
    }

    @Test
    void aSmallMessageIsAnsweredBeforeDeliveryHasItButCommitReturnsOnlyAfter() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            spool.onCommit(handOffWaitingFor(entered, release, handedOn));
            MessageWriter writer = spool.begin(envelope("a@example.org", "b@example.org"));
            byte[] body = message("answer", "first");
            writer.write(body, 0, body.length);
            // Durable and answered while the hand-off to delivery still waits.
            SubmissionReceipt receipt = writer.commitAsync(Runnable::run).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(handedOn).isEmpty();
            assertThat(spool.entry(receipt.id())).isPresent();
            release.countDown();

            // A blocking commit returns only once delivery has the message.
            CountDownLatch secondEntered = new CountDownLatch(1);
            CountDownLatch secondRelease = new CountDownLatch(1);
            spool.onCommit(handOffWaitingFor(secondEntered, secondRelease, handedOn));
            Future<SubmissionReceipt> blocking = caller.submit(
                    () -> submit(spool, envelope("a@example.org", "c@example.org"), message("answer", "second")));
            assertThat(secondEntered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(blocking).isNotDone();
            secondRelease.countDown();
            String second = blocking.get(30, TimeUnit.SECONDS).id();
            assertThat(handedOn).containsExactly(receipt.id(), second);
        } finally {
            caller.shutdownNow();
        }
    }

    /** A hand-off to delivery that says it has begun, then waits to be released before it records the message. */
    private static java.util.function.Consumer<SpoolEntry> handOffWaitingFor(CountDownLatch entered, CountDownLatch release,
            List<String> handedOn) {
        return entry -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handedOn.add(entry.id);
        };
    }

    @Test
    void aTornOrDamagedRecordCostsOnlyItself() throws Exception {
        List<String> ids = new ArrayList<>();
        try (FileSpool spool = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                ids.add(submit(spool, envelope("a@example.org", "b@example.org"), message("m " + i, "body " + i)).id());
            }
        }
        Path segment = files(dir.resolve("queue")).get(0);
        byte[] octets = java.nio.file.Files.readAllBytes(segment);
        String text = new String(octets, StandardCharsets.ISO_8859_1);
        // Damage the second record's body, and leave half a fourth record after the last (a write cut
        // short), over the zeros written ahead.
        int second = text.indexOf("body 1");
        octets[second] = 'B';
        int end = text.indexOf('\0');
        assertThat(end).isGreaterThan(text.indexOf("body 2"));
        System.arraycopy("MAILSLOT-RECORD 1 500 deadbeef\nMAILSLOT-SPO".getBytes(StandardCharsets.US_ASCII), 0, octets,
                end, 40);
        java.nio.file.Files.write(segment, octets);

        try (FileSpool reopened = new FileSpool(dir, MAX, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(reopened.entries()).extracting(e -> e.id).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
            assertThat(read(reopened.entry(ids.get(2)).orElseThrow().body())).isEqualTo(message("m 2", "body 2"));
            // New mail never goes after a torn record: it gets a segment of its own.
            String next = submit(reopened, envelope("a@example.org", "b@example.org"), message("m 3", "body 3")).id();
            assertThat(files(dir.resolve("queue"))).filteredOn(p -> p.toString().endsWith(".seg")).hasSize(2);
            assertThat(read(reopened.entry(next).orElseThrow().body())).isEqualTo(message("m 3", "body 3"));
        }
    }

    @Test
    void aMessageStreamsToDiskAsItArrives() throws Exception {
        try (FileSpool spool = new FileSpool(dir, 64L * 1024 * 1024, SpoolIo.SYSTEM, Clock.systemUTC())) {
            byte[] chunk = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            MessageWriter writer = spool.begin(envelope("a@example.org", "b@example.org"));
            for (int i = 0; i < 100; i++) {
                writer.write(chunk, 0, chunk.length);
            }
            Path temporary = files(dir.resolve("tmp")).get(0);
            assertThat(java.nio.file.Files.size(temporary)).isGreaterThan(90L * chunk.length);
            SubmissionReceipt receipt = writer.commit();
            writer.close();
            assertThat(receipt.size()).isEqualTo(100L * chunk.length);
            assertThat(spool.entry(receipt.id()).orElseThrow().size).isEqualTo(100L * chunk.length);
        }
    }

    private static RecipientProgress recipient(SpoolEntry entry, String address) {
        return entry.state().recipients().stream().filter(r -> r.recipient().address().equals(MailAddress.parse(address)))
                .findFirst().orElseThrow();
    }
}
