package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;

class AccountCommandsTest {

    private static final AccountStatus WORK = new AccountStatus("work", "imap", "imap.example.org:993", AccountState.IDLE,
            Optional.of(Instant.parse("2026-11-28T03:00:00Z")), 42, 2, Optional.empty());
    private static final AccountStatus OLD = new AccountStatus("old", "pop3", "pop.example.org:995", AccountState.BACKOFF,
            Optional.empty(), 0, 0, Optional.of("connection refused"));

    private static class FakeAccounts implements Accounts {
        @Override
        public List<AccountStatus> list() {
            return List.of(OLD, WORK);
        }

        @Override
        public Optional<AccountStatus> find(String name) {
            return list().stream().filter(a -> a.name().equals(name)).findFirst();
        }

        @Override
        public int fetch(String name) throws IOException {
            if (name.equals("old")) {
                throw new IOException("connection refused");
            }
            return 3;
        }

        @Override
        public List<String> test(String name) {
            return List.of("connected to imap.example.org:993 (imap)", "logged in as ops");
        }
    }

    @Test
    void accountsShowsStateSyncCountsAndErrors() throws Exception {
        AccountsCommand command = new AccountsCommand();
        command.accounts = new FakeAccounts();
        String output = QueueCommandsTest.run(command);
        assertThat(line(output, "work")).contains("imap").contains("imap.example.org:993").contains("idle")
                .contains("2026-11-28 03:00:00Z").contains("42").contains("2");
        assertThat(line(output, "old")).contains("backoff").contains("never").contains("connection refused");
    }

    @Test
    void fetchSaysHowManyAndTestPrintsEachStep() throws Exception {
        FetchCommand fetch = new FetchCommand();
        fetch.accounts = new FakeAccounts();
        fetch.name = "work";
        assertThat(QueueCommandsTest.run(fetch)).contains("work: 3 new messages");
        fetch.name = "old";
        assertThatThrownBy(fetch::execute).isInstanceOf(IOException.class).hasMessage("connection refused");

        AccountTestCommand test = new AccountTestCommand();
        test.accounts = new FakeAccounts();
        test.name = "work";
        assertThat(QueueCommandsTest.run(test)).contains("connected to imap.example.org:993 (imap)").contains("logged in as ops");
    }

    @Test
    void saysWhenNoneIsConfiguredOrTheServiceIsMissing() throws Exception {
        AccountsCommand command = new AccountsCommand();
        command.accounts = new FakeAccounts() {
            @Override
            public List<AccountStatus> list() {
                return List.of();
            }
        };
        assertThat(QueueCommandsTest.run(command)).contains("No accounts configured");
        command.accounts = null;
        assertThatThrownBy(command::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Accounts service").hasMessageContaining("mailslot-retrieval");
    }

    private static String line(String output, String start) {
        return output.lines().filter(l -> l.strip().startsWith(start)).findFirst().orElseThrow(
                () -> new AssertionError("no line for " + start + " in\n" + output));
    }
}
