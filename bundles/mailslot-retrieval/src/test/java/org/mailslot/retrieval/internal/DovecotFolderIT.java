package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.MessageHandler;

/**
 * Folder-level behaviour against a real Dovecot: a UIDVALIDITY change, after.handoff=move with and
 * without the MOVE extension, a missing move.to, and delete and polling on a server that offers
 * none of IDLE, UIDPLUS and MOVE.
 */
class DovecotFolderIT {

    @TempDir
    Path dir;
    RetrievalFixture fixture;
    RecordingHandler handler = new RecordingHandler();

    private RetrievalFixture fixture(String... dovecotConfig) throws Exception {
        fixture = new RetrievalFixture(dir, dovecotConfig);
        fixture.whiteboard.addHandler(handler, Map.of(MessageHandler.NAME, "recorder"));
        return fixture;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String search(String mailbox, String query) {
        return fixture.dovecot.doveadm("search", "-u", RetrievalFixture.USER, "mailbox", mailbox, query).output();
    }

    @Test
    void aNewUidValidityHandsNothingOffTwiceAndFetchesWhatIsNew() throws Exception {
        fixture();
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 20, 1024));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("idle", false);
        AccountComponent account = fixture.start("renumbered", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() == 20);
        fixture.stop(account);

        var update = fixture.dovecot.doveadm("mailbox", "update", "-u", RetrievalFixture.USER, "--uid-validity",
                "777", "INBOX");
        assertThat(update.succeeded()).as(update.describe()).isTrue();
        assertThat(fixture.dovecot.doveadm("-f", "flow", "mailbox", "status", "-u", RetrievalFixture.USER,
                "uidvalidity", "INBOX").output()).contains("uidvalidity=777");
        fixture.dovecot.deliver(RetrievalFixture.USER, RetrievalFixture.message(21, 512));
        fixture.dovecot.deliver(RetrievalFixture.USER, RetrievalFixture.message(22, 512));

        AccountComponent again = fixture.start("renumbered", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() == 22);
        assertThat(again.fetch()).isZero();
        assertThat(handler.duplicates()).isZero();
        // The 20 known ones were recognised by content, not stored again; the 2 new ones are under 777.
        assertThat(fixture.stored("renumbered")).hasSize(22);
        assertThat(fixture.stored("renumbered")).filteredOn(f -> f.getFileName().toString().startsWith("INBOX.777."))
                .hasSize(2);
        assertThat(again.status().retrieved()).isEqualTo(2);
        assertThat(again.status().pending()).isZero();
    }

    @Test
    void moveUsesUidMoveAndLeavesTheInboxEmpty() throws Exception {
        fixture();
        fixture.dovecot.doveadm("mailbox", "create", "-u", RetrievalFixture.USER, "Archive");
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 30, 1024));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("after.handoff", "move");
        props.put("move.to", "Archive");
        props.put("batch.size", 10);
        AccountComponent account = fixture.start("mover", props);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "Archive") == 30);
        assertThat(fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX")).isZero();
        assertThat(handler.distinct()).isEqualTo(30);
        assertThat(handler.duplicates()).isZero();
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void moveWithoutTheMoveExtensionCopiesThenDeletesOnlyWhatIsStored() throws Exception {
        fixture(RetrievalFixture.PLAIN_IMAP);
        fixture.dovecot.doveadm("mailbox", "create", "-u", RetrievalFixture.USER, "Archive");
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 30, 1024));
        Map<String, Object> props = fixture.properties("imap", 143);
        props.put("after.handoff", "move");
        props.put("move.to", "Archive");
        props.put("batch.size", 10);
        AccountComponent account = fixture.start("copier", props);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX") == 0);
        assertThat(fixture.dovecot.messageCount(RetrievalFixture.USER, "Archive")).isEqualTo(30);
        assertThat(search("Archive", "DELETED")).isBlank(); // the copies are not flagged
        assertThat(handler.distinct()).isEqualTo(30);
        assertThat(handler.duplicates()).isZero();
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void aMissingMoveToFolderFailsClearlyBeforeAnythingIsFetched() throws Exception {
        fixture();
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 5, 1024));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("after.handoff", "move");
        props.put("move.to", "Archive");
        props.put("reconnect.max", "2s");
        AccountComponent account = fixture.start("nowhere", props);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountState.FAILED == account.status().state());
        assertThat(account.status().lastError().orElseThrow())
                .contains("move.to folder Archive does not exist on 127.0.0.3:993; create it or change move.to");
        assertThat(handler.distinct()).isZero();
        assertThat(fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX")).isEqualTo(5);

        fixture.dovecot.doveadm("mailbox", "create", "-u", RetrievalFixture.USER, "Archive");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "Archive") == 5);
        assertThat(handler.distinct()).isEqualTo(5);
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void withoutUidplusDeleteExpungesWhenOnlyOursAreFlagged() throws Exception {
        fixture(RetrievalFixture.PLAIN_IMAP);
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 25, 1024));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("after.handoff", "delete");
        props.put("batch.size", 10);
        AccountComponent account = fixture.start("plain", props);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX") == 0);
        assertThat(handler.distinct()).isEqualTo(25);
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void aServerWithoutIdleIsPolled() throws Exception {
        fixture(RetrievalFixture.PLAIN_IMAP);
        Map<String, Object> props = fixture.properties("imap", 993); // idle=true, poll.interval 1s
        AccountComponent account = fixture.start("poller", props);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountState.POLLING == account.status().state());
        fixture.dovecot.deliver(RetrievalFixture.USER, RetrievalFixture.message(1, 512));
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.distinct() == 1);
        assertThat(account.status().state()).isNotEqualTo(AccountState.IDLE);
    }
}
