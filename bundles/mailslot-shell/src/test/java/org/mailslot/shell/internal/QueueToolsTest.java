package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;

/** What postqueue, postsuper and postcat give, as mailslot:queue, queue-hold/release/delete/flush and queue-show. */
class QueueToolsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static QueueCommandsTest.MemoryQueue queue() {
        QueueCommandsTest.MemoryQueue queue = new QueueCommandsTest.MemoryQueue();
        add(queue, "A1", NOW.minus(Duration.ofDays(2)), false, WaitReason.NO_ROUTE, "bob@Example.ORG", Status.DEFERRED);
        add(queue, "A2", NOW.minus(Duration.ofHours(3)), false, WaitReason.DEFERRED_BY_NEXT_HOP, "carol@example.net",
                Status.DEFERRED);
        add(queue, "A3", NOW.minus(Duration.ofMinutes(5)), true, WaitReason.HELD_BY_OPERATOR, "dave@example.org",
                Status.PENDING);
        // Delivered to example.org already: no longer "at" that domain.
        add(queue, "A4", NOW.minus(Duration.ofMinutes(1)), false, WaitReason.DEFERRED_BY_NEXT_HOP, "erin@example.org",
                Status.DELIVERED);
        return queue;
    }

    private static void add(QueueCommandsTest.MemoryQueue queue, String id, Instant accepted, boolean held, WaitReason reason,
            String recipient, Status status) {
        queue.entries.put(id, new QueueEntry(id, Optional.of(MailAddress.parse("ops@localhost")),
                List.of(new RecipientState(MailAddress.parse(recipient), status, Optional.of("451 4.4.1 " + id))),
                100, accepted, 2, held ? Optional.empty() : Optional.of(NOW.plusSeconds(600)),
                Optional.of("451 4.4.1 " + id), held, Optional.of(new Waiting(reason, "detail of " + id))));
    }

    private static <T extends QueueSelection> T at(T command) {
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return command;
    }

    private static List<String> ids(String json) throws IOException {
        return new ObjectMapper().readTree(json).get("messages").findValues("id").stream().map(JsonNode::asText).toList();
    }

    private static QueueCommand list(QueueCommandsTest.MemoryQueue queue) {
        QueueCommand command = at(new QueueCommand());
        command.queue = queue;
        command.json = true;
        return command;
    }

    @Test
    void filtersByDomainReasonAgeAndHold() throws IOException {
        QueueCommandsTest.MemoryQueue queue = queue();

        QueueCommand byDomain = list(queue);
        byDomain.domain = "EXAMPLE.org";
        QueueCommand byReason = list(queue);
        byReason.reason = "deferred-by-next-hop";
        QueueCommand byAge = list(queue);
        byAge.olderThan = "1h";
        QueueCommand heldOnly = list(queue);
        heldOnly.held = true;
        QueueCommand both = list(queue);
        both.domain = "example.org";
        both.olderThan = "1d";

        assertThat(ids(QueueCommandsTest.run(byDomain))).containsExactly("A1", "A3");
        assertThat(ids(QueueCommandsTest.run(byReason))).containsExactly("A2", "A4");
        assertThat(ids(QueueCommandsTest.run(byAge))).containsExactly("A1", "A2");
        assertThat(ids(QueueCommandsTest.run(heldOnly))).containsExactly("A3");
        assertThat(ids(QueueCommandsTest.run(both))).containsExactly("A1");
    }

    @Test
    void badSelectionsAreRefusedNamingTheOption() {
        QueueCommand command = list(queue());
        command.reason = "stuck";
        assertThatThrownBy(command::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--reason must be one of MISSING_PIPELINE_STAGE, ").hasMessageEndingWith(", not 'stuck'");
        command.reason = null;
        command.olderThan = "yesterday";
        assertThatThrownBy(command::execute).hasMessageStartingWith("--older-than must be a duration");
        command.olderThan = null;
        command.domain = "bob@example.org";
        assertThatThrownBy(command::execute).hasMessage("--domain takes a domain such as example.org, not 'bob@example.org'");
        command.domain = null;
        command.limit = -1;
        assertThatThrownBy(command::execute).hasMessage("--offset and --limit must not be negative");
    }

    @Test
    void pagesThroughTheMessages() throws IOException {
        QueueCommand json = list(queue());
        json.offset = 1;
        json.limit = 2;
        JsonNode page = new ObjectMapper().readTree(QueueCommandsTest.run(json));
        assertThat(page.get("matching").asInt()).isEqualTo(4);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(ids(page.toString())).containsExactly("A2", "A3");

        QueueCommand table = list(queue());
        table.json = false;
        table.limit = 3;
        String output = QueueCommandsTest.run(table);
        assertThat(output).contains("A1").contains("A3").doesNotContain("A4")
                .contains("Messages 1 to 3 of 4 (--offset 3 for the next)");
        table.offset = 3;
        assertThat(QueueCommandsTest.run(table)).contains("A4").contains("Messages 4 to 4 of 4")
                .doesNotContain("for the next");
        table.offset = 9;
        assertThat(QueueCommandsTest.run(table)).contains("0 messages").contains("Messages 4 to 4 of 4");
    }

    @Test
    void holdsReleasesFlushesAndDeletesBySelection() {
        QueueCommandsTest.MemoryQueue queue = queue();
        QueueHoldCommand hold = at(new QueueHoldCommand());
        hold.queue = queue;
        hold.domain = "example.org";
        QueueReleaseCommand release = at(new QueueReleaseCommand());
        release.queue = queue;
        release.held = true;
        QueueFlushCommand flush = at(new QueueFlushCommand());
        flush.queue = queue;
        flush.reason = "DEFERRED_BY_NEXT_HOP";
        QueueDeleteCommand delete = at(new QueueDeleteCommand());
        delete.queue = queue;
        delete.olderThan = "1d";

        assertThat(QueueCommandsTest.run(hold)).isEqualTo("Held 2 messages" + System.lineSeparator());
        assertThat(QueueCommandsTest.run(release)).isEqualTo("Released 1 message" + System.lineSeparator());
        assertThat(QueueCommandsTest.run(flush)).isEqualTo("Flushed 2 messages" + System.lineSeparator());
        assertThat(QueueCommandsTest.run(delete)).isEqualTo("Deleted 1 message" + System.lineSeparator());
        assertThat(queue.actions).containsExactly("hold A1", "hold A3", "release A3", "flush A2", "flush A4", "delete A1");
        assertThat(queue.entries).containsOnlyKeys("A2", "A3", "A4");
    }

    @Test
    void neitherIdNorSelectionIsRefusedExceptForFlushingEverything() {
        QueueCommandsTest.MemoryQueue queue = queue();
        QueueDeleteCommand delete = at(new QueueDeleteCommand());
        delete.queue = queue;
        assertThatThrownBy(delete::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Give a message's id, or a selection");
        delete.id = "A1";
        delete.domain = "example.org";
        assertThatThrownBy(delete::execute).hasMessageContaining("not both");
        assertThat(queue.entries).hasSize(4);

        QueueFlushCommand flush = at(new QueueFlushCommand());
        flush.queue = queue;
        assertThat(QueueCommandsTest.run(flush)).isEqualTo("Flushed 4 messages" + System.lineSeparator());
        flush.id = "A2";
        assertThat(QueueCommandsTest.run(flush)).isEqualTo("Flushed A2" + System.lineSeparator());
        assertThat(queue.actions).containsExactly("flush", "flush A2");
    }

    @Test
    void showsEnvelopeRecipientsHeaderHistoryAndOnRequestTheBody(@TempDir Path logs) throws IOException {
        QueueCommandsTest.MemoryQueue queue = queue();
        queue.contents.put("A1", ("From: ops@localhost\r\nTo: bob@example.org\r\nSubject: hello \u001b[31mred\r\n"
                + "\r\nthe body\r\nsecond line\r\n").getBytes(StandardCharsets.UTF_8));
        Files.writeString(logs.resolve("mail.log.1"), "2026-12-05 A1: to=<bob@example.org> status=deferred (first)\n"
                + "2026-12-05 A10: to=<x@example.org> status=sent\n");
        Files.setLastModifiedTime(logs.resolve("mail.log.1"), FileTime.from(NOW.minus(Duration.ofDays(1))));
        Files.writeString(logs.resolve("mail.log.2"), "2026-11-01 A1: older than the message\n");
        Files.setLastModifiedTime(logs.resolve("mail.log.2"), FileTime.from(NOW.minus(Duration.ofDays(30))));
        Files.writeString(logs.resolve("mail.log"), "2026-12-07 A1: to=<bob@example.org> status=deferred (second)\n");
        QueueShowCommand show = new QueueShowCommand();
        show.queue = queue;
        show.id = "A1";
        show.history = new MailLogHistory(logs);

        String output = QueueCommandsTest.run(show);

        assertThat(output).startsWith("Message A1");
        assertThat(QueueCommandsTest.line(output, "sender")).contains("<ops@localhost>");
        assertThat(QueueCommandsTest.line(output, "waiting for")).contains("NO_ROUTE: detail of A1");
        assertThat(QueueCommandsTest.line(output, "bob@Example.ORG")).contains("deferred").contains("451 4.4.1 A1");
        assertThat(output).contains("Subject: hello ?[31mred").doesNotContain("\u001b").doesNotContain("the body");
        assertThat(output).containsSubsequence("History (" + logs.resolve("mail.log") + "):",
                "A1: to=<bob@example.org> status=deferred (first)", "A1: to=<bob@example.org> status=deferred (second)");
        assertThat(output).doesNotContain("A10").doesNotContain("older than the message");

        show.body = true;
        assertThat(QueueCommandsTest.run(show)).containsSubsequence("Subject:", "Body:", "the body", "second line", "History");

        show.id = "nope";
        assertThatThrownBy(show::execute).hasMessage("No message nope in the queue");
    }

    @Test
    void showsTheStateOfAMessageWhoseOctetsTheStoreCannotReadNowAndSaysWhy(@TempDir Path logs) throws IOException {
        String why = "message A1 is under way on node mx2 (pid 42): its octets can be read once the attempt ends";
        QueueCommandsTest.MemoryQueue queue = new QueueCommandsTest.MemoryQueue() {
            @Override
            public Optional<org.mailslot.api.mail.MessageSource> content(String id) {
                return Optional.of(() -> {
                    throw new IOException(why);
                });
            }
        };
        add(queue, "A1", NOW.minus(Duration.ofHours(2)), false, WaitReason.NO_ROUTE, "bob@Example.ORG", Status.DEFERRED);
        QueueShowCommand show = new QueueShowCommand();
        show.queue = queue;
        show.id = "A1";
        show.history = new MailLogHistory(logs);

        String output = QueueCommandsTest.run(show);

        assertThat(output).startsWith("Message A1");
        assertThat(QueueCommandsTest.line(output, "bob@Example.ORG")).contains("deferred");
        assertThat(output).contains("Header: not readable now: " + why).contains("History (");

        show.json = true;
        JsonNode shown = new ObjectMapper().readTree(QueueCommandsTest.run(show));
        assertThat(shown.get("message").get("id").asText()).isEqualTo("A1");
        assertThat(shown.get("header").isNull()).isTrue();
        assertThat(shown.get("unreadable").asText()).isEqualTo(why);
    }

    @Test
    void showsTheSameAsJsonForScripts(@TempDir Path logs) throws IOException {
        QueueCommandsTest.MemoryQueue queue = queue();
        queue.contents.put("A1", "Subject: hello \u001b[31mred\r\n\r\nthe body\r\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(logs.resolve("mail.log"), "2026-12-07 A1: to=<bob@example.org> status=deferred (second)\n");
        QueueShowCommand show = new QueueShowCommand();
        show.queue = queue;
        show.id = "A1";
        show.history = new MailLogHistory(logs);
        show.json = true;

        com.fasterxml.jackson.databind.JsonNode shown = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(QueueCommandsTest.run(show));

        assertThat(shown.get("message").get("id").asText()).isEqualTo("A1");
        assertThat(shown.get("message").get("waiting").get("reason").asText()).isEqualTo("NO_ROUTE");
        assertThat(shown.get("message").get("recipients").get(0).get("status").asText()).isEqualTo("deferred");
        assertThat(shown.get("header").asText()).isEqualTo("Subject: hello ?[31mred\n\n");
        assertThat(shown.get("body").isNull()).isTrue();
        assertThat(shown.get("historyFile").asText()).isEqualTo(logs.resolve("mail.log").toString());
        assertThat(shown.get("history").get(0).asText()).contains("A1: to=<bob@example.org> status=deferred (second)");

        show.body = true;
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(QueueCommandsTest.run(show))
                .get("body").asText()).isEqualTo("the body\n");
    }

    @Test
    void progressPrintsAtMostEveryFewSeconds() {
        AtomicLong nanos = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), nanos::get);

        progress.report(() -> "at once");
        nanos.addAndGet(Progress.EVERY.toNanos());
        progress.report(() -> "first");
        nanos.addAndGet(Progress.EVERY.toNanos() - 1);
        progress.report(() -> "too soon");
        nanos.addAndGet(1);
        progress.report(() -> "second");

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("first", "second");
    }
}
