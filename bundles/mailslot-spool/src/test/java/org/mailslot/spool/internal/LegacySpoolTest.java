package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.spool.internal.Fixtures.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.testing.peers.MutableClock;

/**
 * A spool directory written by the spool of main at c04605c (before the queue-store SPI), checked
 * in as {@code src/test/resources/legacy-spool-c04605c}: a message deferred by the next hop after
 * its local recipient was delivered, one never tried (both records of one segment), and a held one
 * of its own file. The file store reads it as it is on disk, and the scheduler delivers it.
 */
class LegacySpoolTest {

    private static final String DEFERRED = "1A230D512800EDFE";
    private static final String QUEUED = "1A230D516680EDFF";
    private static final String HELD = "1A230D51A500EE00";
    private static final Instant WRITTEN = Instant.parse("2026-12-01T09:00:02Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(WRITTEN.plusSeconds(60));
    private SpoolComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    private SpoolComponent restartOnTheLegacySpool() throws Exception {
        Path fixture = Path.of(getClass().getResource("/legacy-spool-c04605c/queue").toURI());
        Path queue = Files.createDirectories(dir.resolve("spool/queue"));
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path file : files.toList()) {
                Files.copy(file, queue.resolve(file.getFileName()));
            }
        }
        component = new SpoolComponent(Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes")), SpoolIo.SYSTEM,
                clock, null);
        return component;
    }

    @Test
    void listsEveryMessageWithTheStateItWasLeftIn() throws Exception {
        SpoolComponent queue = restartOnTheLegacySpool();

        assertThat(queue.list()).extracting(QueueEntry::id).containsExactly(DEFERRED, QUEUED, HELD);
        QueueEntry deferred = queue.entry(DEFERRED).orElseThrow();
        String reply = "451 4.3.0 Try again later (127.0.0.2:587)";
        assertThat(deferred.recipients()).containsExactly(
                new RecipientState(MailAddress.parse("carol@localhost"), Status.DELIVERED,
                        Optional.of("250 2.0.0 delivered to the local Maildir")),
                new RecipientState(MailAddress.parse("dave@example.org"), Status.DEFERRED, Optional.of(reply)));
        assertThat(deferred.attempts()).isEqualTo(1);
        assertThat(deferred.nextAttempt()).contains(Instant.parse("2026-12-01T09:05:00Z"));
        assertThat(deferred.waiting()).contains(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, reply));
        assertThat(deferred.sender()).contains(MailAddress.parse("alice@localhost"));

        QueueEntry queued = queue.entry(QUEUED).orElseThrow();
        assertThat(queued.attempts()).isZero();
        assertThat(queued.recipients()).extracting(RecipientState::status).containsExactly(Status.PENDING);
        assertThat(queued.waiting()).isEmpty();
        assertThat(queued.size()).isEqualTo(112);

        QueueEntry held = queue.entry(HELD).orElseThrow();
        assertThat(held.held()).isTrue();
        assertThat(held.nextAttempt()).isEmpty();
        assertThat(held.waiting()).map(Waiting::reason).contains(WaitReason.HELD_BY_OPERATOR);
        assertThat(held.size()).isEqualTo(204_897);
    }

    @Test
    void releasesAndDeliversThemWithTheirOctetsAndNeverTheRecipientAlreadyDelivered() throws Exception {
        SpoolComponent queue = restartOnTheLegacySpool();
        FakeTransport transport = new FakeTransport();
        queue.bindTransport(transport);

        queue.scheduler().runDue();
        assertThat(transport.deliveries).extracting(d -> d.envelope().recipients().get(0).address().toString())
                .containsExactly("bob@example.org");
        assertThat(transport.deliveries.get(0).text()).contains("Subject: queued").endsWith("never tried\r\n");
        assertThat(queue.list()).extracting(QueueEntry::id).containsExactly(DEFERRED, HELD);

        assertThat(queue.release(HELD)).isTrue();
        assertThat(queue.flush()).isEqualTo(2);
        queue.scheduler().runDue();

        assertThat(queue.depth()).isZero();
        List<String> delivered = transport.deliveries.stream()
                .flatMap(d -> d.envelope().recipients().stream().map(r -> r.address().toString())).toList();
        assertThat(delivered).containsExactlyInAnyOrder("bob@example.org", "dave@example.org", "erin@example.org");
        assertThat(transport.deliveries).filteredOn(d -> d.text().contains("Subject: held")).singleElement()
                .satisfies(d -> assertThat(d.message()).hasSize(204_897));
        assertThat(transport.deliveries).filteredOn(d -> d.text().contains("Subject: deferred")).singleElement()
                .satisfies(d -> assertThat(d.text()).endsWith("tried once\r\n"));
        assertThat(files(dir.resolve("mailboxes"))).isEmpty();
        assertThat(files(dir.resolve("spool/queue"))).isEmpty();
    }
}
