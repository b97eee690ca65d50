package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;
import org.osgi.framework.Bundle;

/** What --json prints, read back by a parser of its own: the field names scripts rely on (README.md). */
class JsonOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void queueAsJsonHasEachMessageWithItsRecipientsAndWhatItWaitsFor() throws IOException {
        QueueCommand command = new QueueCommand();
        command.queue = QueueCommandsTest.queue();
        command.json = true;

        JsonNode queue = JSON.readTree(QueueCommandsTest.run(command));

        assertThat(queue.get("matching").asInt()).isEqualTo(2);
        JsonNode first = queue.get("messages").get(0);
        assertThat(first.get("id").asText()).isEqualTo("18F0A1B2C3D00001");
        assertThat(first.get("sender").asText()).isEqualTo("alice@example.org");
        assertThat(first.get("size").asLong()).isEqualTo(2048);
        assertThat(first.get("acceptedAt").asText()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("nextAttempt").asText()).isEqualTo("2026-11-28T10:35:00Z");
        assertThat(first.get("held").asBoolean()).isFalse();
        assertThat(first.get("waiting").get("reason").asText()).isEqualTo("UNSPECIFIED");
        assertThat(first.get("recipients").get(0).get("address").asText()).isEqualTo("bob@example.net");
        assertThat(first.get("recipients").get(0).get("status").asText()).isEqualTo("deferred");
        assertThat(first.get("recipients").get(1).get("lastReply").asText()).startsWith("250 2.0.0");
        JsonNode held = queue.get("messages").get(1);
        assertThat(held.get("sender").asText()).isEmpty();
        assertThat(held.get("nextAttempt").isNull()).isTrue();
        assertThat(held.get("waiting").get("reason").asText()).isEqualTo("HELD_BY_OPERATOR");
        assertThat(held.get("recipients").get(0).get("lastReply").isNull()).isTrue();
    }

    @Test
    void listenersAndAccountsAsJson() throws IOException {
        ListenersCommand listeners = new ListenersCommand();
        listeners.listeners = () -> List.of(new ListenerStatus("submission", "127.0.0.1", 10587, 587,
                Optional.of(TlsMode.STARTTLS_REQUIRED), ListenerState.BOUND, "", 3, 42));
        listeners.json = true;
        AccountsCommand accounts = new AccountsCommand();
        accounts.accounts = new Accounts() {
            public List<AccountStatus> list() {
                return List.of(new AccountStatus("work", "imap", "imap.example.org:993", AccountState.IDLE,
                        Optional.of(Instant.parse("2026-11-28T03:00:00Z")), 42, 2, Optional.empty()));
            }
            public Optional<AccountStatus> find(String name) { return Optional.empty(); }
            public int fetch(String name) { return 0; }
            public List<String> test(String name) { return List.of(); }
        };
        accounts.json = true;

        JsonNode listener = JSON.readTree(QueueCommandsTest.run(listeners)).get("listeners").get(0);
        JsonNode account = JSON.readTree(QueueCommandsTest.run(accounts)).get("accounts").get(0);

        assertThat(listener.get("name").asText()).isEqualTo("submission");
        assertThat(listener.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(listener.get("port").asInt()).isEqualTo(10587);
        assertThat(listener.get("strategyPort").asInt()).isEqualTo(587);
        assertThat(listener.get("tlsMode").asText()).isEqualTo("starttls-required");
        assertThat(listener.get("state").asText()).isEqualTo("bound");
        assertThat(listener.get("connections").asInt()).isEqualTo(3);
        assertThat(listener.get("accepted").asLong()).isEqualTo(42);
        assertThat(account.get("name").asText()).isEqualTo("work");
        assertThat(account.get("lastSync").asText()).isEqualTo("2026-11-28T03:00:00Z");
        assertThat(account.get("retrieved").asLong()).isEqualTo(42);
        assertThat(account.get("pending").asLong()).isEqualTo(2);
        assertThat(account.get("lastError").isNull()).isTrue();
    }

    @Test
    void statusAsJsonSaysWhetherHealthyAndWhy() throws IOException {
        QueueCommandsTest.MemoryQueue queue = new QueueCommandsTest.MemoryQueue();
        queue.entries.put("old1", HealthTest.entry("old1", Instant.parse("2026-12-07T09:00:00Z"), false,
                org.mailslot.api.spool.RecipientState.Status.DEFERRED));
        StatusCommand command = HealthTest.status(Bundle.RESOLVED, queue);
        command.json = true;
        command.maxWait = "2h";

        JsonNode status = JSON.readTree(QueueCommandsTest.run(command));

        assertThat(status.get("healthy").asBoolean()).isFalse();
        assertThat(status.get("maxWaitSeconds").asLong()).isEqualTo(7200);
        assertThat(status.get("problems")).extracting(JsonNode::asText).containsExactly(
                "org.mailslot.crypto is stopped: bundle 71 is not started (bundle:start 71)",
                "1 message has waited longer than 2h (status.max.wait); the oldest, old1, for 3h: 451 4.7.1 try later");
        assertThat(status.get("components").get(0).get("state").asText()).isEqualTo("stopped");
        JsonNode spool = status.get("spool");
        assertThat(spool.get("depth").asInt()).isEqualTo(1);
        assertThat(spool.get("oldestAcceptedAt").asText()).isEqualTo("2026-12-07T09:00:00Z");
        assertThat(spool.get("waiting").get(0).get("reason").asText()).isEqualTo("DEFERRED_BY_NEXT_HOP");
        assertThat(spool.get("waiting").get(0).get("messages").asInt()).isEqualTo(1);
        assertThat(spool.get("waiting").get(0).get("ids").get(0).asText()).isEqualTo("old1");
        assertThat(status.get("tls").isNull()).isTrue();
    }
}
