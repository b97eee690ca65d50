package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.testing.peers.MutableClock;

/**
 * An attempt's outcome and the notices it causes are one change: when the store cannot queue the
 * DSN, the failed recipient is not recorded as failed (the sender would never learn), but kept to
 * try again, and bounced with its DSN once the store takes it.
 */
class NoticeNotQueuedTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    /** Appends to segments fail while set: the store can take no message, and so no notice. */
    private volatile boolean appendsFail;
    private FileSpool spool;
    private DeliveryScheduler scheduler;

    private final SpoolIo io = new SpoolIo() {
        @Override
        public SpoolFile create(Path file) throws IOException {
            SpoolFile real = SYSTEM.create(file);
            return new SpoolFile() {
                @Override
                public void write(ByteBuffer buffer) throws IOException {
                    real.write(buffer);
                }

                @Override
                public void write(ByteBuffer buffer, long position) throws IOException {
                    if (appendsFail) {
                        throw new IOException("Input/output error");
                    }
                    real.write(buffer, position);
                }

                @Override
                public void force() throws IOException {
                    real.force();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            SYSTEM.syncDirectory(directory);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            SYSTEM.move(from, to);
        }
    };

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
            spool.close();
        }
    }

    @Test
    void aFailureWhoseDsnCannotBeQueuedIsKeptAndBouncedWhenItCan() throws Exception {
        Settings settings = Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes"));
        spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), io, clock);
        FakeTransport transport = new FakeTransport();
        transport.answer = (rcpt, route) -> FakeTransport.permanent(rcpt);
        scheduler = new DeliveryScheduler(new FileQueueStore(spool, clock), settings, () -> transport, List::of,
                new Maildir(settings.mailboxDirectory(), SpoolIo.SYSTEM, clock), clock);
        String id = submit(spool, envelope("alice@localhost", "nobody@example.org"), message("doomed", "x")).id();

        appendsFail = true;
        scheduler.runDue();

        QueueEntry kept = spool.entry(id).orElseThrow().snapshot();
        assertThat(spool.depth()).as("no DSN was queued").isEqualTo(1);
        assertThat(kept.recipients()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.DEFERRED);
            assertThat(r.lastReply()).hasValueSatisfying(reply -> assertThat(reply)
                    .startsWith("550 5.1.1 User unknown").contains("could not queue the DSN"));
        });
        assertThat(kept.waiting()).map(Waiting::reason).contains(WaitReason.NOTICE_NOT_QUEUED);
        assertThat(kept.nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));

        appendsFail = false;
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        scheduler.runDue();

        assertThat(spool.depth()).isZero();
        List<Path> inbox = files(dir.resolve("mailboxes/alice@localhost/new"));
        assertThat(inbox).singleElement().satisfies(dsn -> assertThat(Files.readString(dsn))
                .contains("Undelivered Mail Returned to Sender").contains("Diagnostic-Code: smtp; 550 5.1.1 User unknown"));
    }
}
