package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;

class QueueCommandsTest {

    private static final Instant ACCEPTED = Instant.parse("2026-11-28T10:00:00Z");

    /** A queue held in memory that remembers what was done to it. */
    static class MemoryQueue implements MailQueue {

        final Map<String, QueueEntry> entries = new LinkedHashMap<>();
        final List<String> actions = new ArrayList<>();
        final Map<String, byte[]> contents = new LinkedHashMap<>();

        @Override
        public List<QueueEntry> list() {
            return List.copyOf(entries.values());
        }

        @Override
        public Optional<QueueEntry> entry(String id) {
            return Optional.ofNullable(entries.get(id));
        }

        @Override
        public boolean hold(String id) {
            actions.add("hold " + id);
            return entries.containsKey(id);
        }

        @Override
        public boolean release(String id) {
            actions.add("release " + id);
            return entries.containsKey(id);
        }

        @Override
        public boolean delete(String id) {
            actions.add("delete " + id);
            return entries.remove(id) != null;
        }

        @Override
        public int flush() {
            actions.add("flush");
            return entries.size();
        }

        @Override
        public boolean flush(String id) {
            actions.add("flush " + id);
            return entries.containsKey(id);
        }

        @Override
        public Optional<MessageSource> content(String id) {
            return Optional.ofNullable(contents.get(id)).map(MessageSource::of);
        }

        @Override
        public int depth() {
            return entries.size();
        }
    }

    static MemoryQueue queue() {
        MemoryQueue queue = new MemoryQueue();
        queue.entries.put("18F0A1B2C3D00001", new QueueEntry("18F0A1B2C3D00001", Optional.of(MailAddress.parse("alice@example.org")),
                List.of(new RecipientState(MailAddress.parse("bob@example.net"), Status.DEFERRED,
                                Optional.of("451 4.3.0 Try again later (mx.example.net:25)")),
                        new RecipientState(MailAddress.parse("carol@localhost"), Status.DELIVERED,
                                Optional.of("250 2.0.0 delivered to the local Maildir"))),
                2048, ACCEPTED, 3, Optional.of(Instant.parse("2026-11-28T10:35:00Z")),
                Optional.of("451 4.3.0 Try again later (mx.example.net:25)"), false));
        queue.entries.put("18F0A1B2C3D00002", new QueueEntry("18F0A1B2C3D00002", Optional.empty(),
                List.of(new RecipientState(MailAddress.parse("dave@example.com"), Status.PENDING, Optional.empty())),
                512, ACCEPTED, 1, Optional.empty(), Optional.of("no OpenPGP key for dave@example.com"), true));
        return queue;
    }

    @Test
    void listsEachRecipientWithItsStateAttemptsNextAttemptAndLastError() {
        QueueCommand command = new QueueCommand();
        command.queue = queue();

        String output = run(command);

        assertThat(output.lines().findFirst().orElseThrow()).contains("ID").contains("Sender").contains("Recipient")
                .contains("State").contains("Attempts").contains("Next attempt").contains("Last error");
        assertThat(line(output, "bob@example.net")).contains("18F0A1B2C3D00001").contains("<alice@example.org>")
                .contains("deferred").contains(" 3 ").contains("2026-11-28 10:35:00Z")
                .contains("451 4.3.0 Try again later (mx.example.net:25)");
        assertThat(line(output, "carol@localhost")).contains("delivered").doesNotContain("250 2.0.0");
        assertThat(line(output, "dave@example.com")).contains("<>").contains("pending").contains("held")
                .contains("no OpenPGP key for dave@example.com");
        assertThat(output).endsWith("2 messages" + System.lineSeparator());
    }

    @Test
    void aMessageBeingDeliveredSaysSoRatherThanNow() {
        MemoryQueue queue = new MemoryQueue();
        queue.entries.put("18F0A1B2C3D00003", new QueueEntry("18F0A1B2C3D00003", Optional.of(MailAddress.parse("erin@localhost")),
                List.of(new RecipientState(MailAddress.parse("frank@example.net"), Status.PENDING, Optional.empty())),
                100, ACCEPTED, 0, Optional.empty(), Optional.empty(), false));
        QueueCommand command = new QueueCommand();
        command.queue = queue;

        assertThat(line(run(command), "frank@example.net")).contains("delivering").doesNotContain("now");
    }

    @Test
    void showsOneMessageById() {
        QueueCommand command = new QueueCommand();
        command.queue = queue();
        command.id = "18F0A1B2C3D00002";

        assertThat(run(command)).contains("dave@example.com").doesNotContain("bob@example.net").contains("1 message");

        command.id = "nope";
        assertThatThrownBy(command::execute).hasMessage("No message nope in the queue");
    }

    @Test
    void holdsReleasesDeletesAndFlushes() {
        MemoryQueue queue = queue();
        QueueHoldCommand hold = new QueueHoldCommand();
        hold.queue = queue;
        hold.id = "18F0A1B2C3D00001";
        QueueReleaseCommand release = new QueueReleaseCommand();
        release.queue = queue;
        release.id = "18F0A1B2C3D00001";
        QueueDeleteCommand delete = new QueueDeleteCommand();
        delete.queue = queue;
        delete.id = "18F0A1B2C3D00002";
        QueueFlushCommand flush = new QueueFlushCommand();
        flush.queue = queue;

        assertThat(run(hold)).isEqualTo("Held 18F0A1B2C3D00001" + System.lineSeparator());
        assertThat(run(release)).isEqualTo("Released 18F0A1B2C3D00001" + System.lineSeparator());
        assertThat(run(delete)).isEqualTo("Deleted 18F0A1B2C3D00002" + System.lineSeparator());
        assertThat(run(flush)).isEqualTo("Flushed 1 message" + System.lineSeparator());
        assertThat(queue.actions).containsExactly("hold 18F0A1B2C3D00001", "release 18F0A1B2C3D00001",
                "delete 18F0A1B2C3D00002", "flush");

        assertThatThrownBy(delete::execute).hasMessage("No message 18F0A1B2C3D00002 in the queue");
    }

    @Test
    void saysWhichBundleIsMissing() {
        assertThatThrownBy(new QueueFlushCommand()::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No MailQueue service is registered; is mailslot-spool started?");
    }

    static String run(Action action) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.execute();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + output));
    }
}
