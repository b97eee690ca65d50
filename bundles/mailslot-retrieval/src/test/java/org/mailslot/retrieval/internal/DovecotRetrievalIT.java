package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.MessageHandler;

/** Retrieval against a real Dovecot: exactly once, IDLE, restarts, kicks, POP3 leave-on-server. */
class DovecotRetrievalIT {

    @TempDir
    Path dir;
    RetrievalFixture fixture;
    RecordingHandler handler = new RecordingHandler();

    @BeforeEach
    void start() throws Exception {
        fixture = new RetrievalFixture(dir);
        fixture.whiteboard.addHandler(handler, Map.of(MessageHandler.NAME, "recorder"));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void thousandMessagesOverImapsAreFetchedAndHandedOffExactlyOnce() throws Exception {
        assertThat(fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 1000, 2048))).isEqualTo(1000);
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("idle", false);
        AccountComponent account = fixture.start("box", props);

        await().atMost(Duration.ofSeconds(60)).until(() -> handler.distinct() == 1000);
        assertThat(account.fetch()).isZero();
        assertThat(handler.duplicates()).isZero();
        assertThat(fixture.stored("box")).hasSize(1000);
        assertThat(account.status().retrieved()).isEqualTo(1000);
        assertThat(account.status().pending()).isZero();
        // BODY.PEEK: nothing was marked seen on the server (after.handoff=leave).
        assertThat(fixture.dovecot.doveadm("search", "-u", RetrievalFixture.USER, "mailbox", "INBOX", "SEEN").output())
                .isBlank();

        // A restart fetches nothing again.
        fixture.stop(account);
        AccountComponent again = fixture.start("box", props);
        assertThat(again.fetch()).isZero();
        assertThat(fixture.stored("box")).hasSize(1000);
        assertThat(handler.duplicates()).isZero();
    }

    @Test
    void messageDeliveredWhileIdlingOverStartTlsIsHandedOffWithinTwoSeconds() throws Exception {
        Map<String, Object> props = fixture.properties("imap", 143);
        props.put("after.handoff", "seen");
        props.put("poll.interval", "10m"); // only IDLE can explain a quick hand-off
        AccountComponent account = fixture.start("idler", props);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountState.IDLE == account.status().state());

        long delivered = System.nanoTime();
        fixture.dovecot.deliver(RetrievalFixture.USER, RetrievalFixture.message(7, 512));
        await().atMost(Duration.ofSeconds(2)).until(() -> handler.distinct() == 1);
        assertThat(Duration.ofNanos(handler.handedAt.get("message 7") - delivered)).isLessThan(Duration.ofSeconds(2));
        // seen only after the local copy was recorded
        await().atMost(Duration.ofSeconds(5)).until(() -> !fixture.dovecot.doveadm("search", "-u",
                RetrievalFixture.USER, "mailbox", "INBOX", "SEEN").output().isBlank());
    }

    @Test
    void restartMidFetchNeitherLosesNorDuplicates() throws Exception {
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 1000, 2048));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("batch.size", 20);
        props.put("after.handoff", "delete");
        AccountComponent account = fixture.start("restart", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() >= 100);
        fixture.stop(account); // mid-fetch: some batches stored, the rest not yet
        assertThat(handler.distinct()).isLessThan(1000);

        fixture.start("restart", props);
        await().atMost(Duration.ofSeconds(60)).until(() -> handler.distinct() == 1000);
        assertThat(handler.duplicates()).isZero();
        assertThat(fixture.stored("restart")).hasSize(1000);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX") == 0);
    }

    @Test
    void kickedConnectionReconnectsWithoutLossOrDuplicate() throws Exception {
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 1000, 2048));
        Map<String, Object> props = fixture.properties("imap", 993);
        props.put("batch.size", 20);
        AccountComponent account = fixture.start("kick", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() >= 100);
        assertThat(fixture.dovecot.kick(RetrievalFixture.USER)).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> handler.distinct() == 1000);
        assertThat(handler.duplicates()).isZero();
        assertThat(fixture.stored("kick")).hasSize(1000);
        assertThat(account.fetch()).isZero();
    }

    @Test
    void pop3LeaveOnServerDoesNotFetchAgain() throws Exception {
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 50, 1024));
        Map<String, Object> props = fixture.properties("pop3", 110);
        props.put("poll.interval", "10m");
        AccountComponent account = fixture.start("pop", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() == 50);
        assertThat(account.fetch()).isZero();
        fixture.stop(account);
        fixture.dovecot.deliver(RetrievalFixture.USER, RetrievalFixture.message(51, 512));
        AccountComponent again = fixture.start("pop", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() == 51);
        assertThat(again.fetch()).isZero();
        assertThat(again.status().retrieved()).isEqualTo(1);
        assertThat(handler.duplicates()).isZero();
        assertThat(fixture.stored("pop")).hasSize(51);
        assertThat(fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX")).isEqualTo(51);
        byte[] local = Files.readAllBytes(fixture.stored("pop").stream()
                .filter(p -> new String(readQuietly(p)).contains("Subject: message 51\r\n")).findFirst().orElseThrow());
        assertThat(local).isEqualTo(RetrievalFixture.message(51, 512));
    }

    @Test
    void pop3sDeleteRemovesOnlyWhatIsStored() throws Exception {
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, 30, 1024));
        Map<String, Object> props = fixture.properties("pop3", 995);
        props.put("after.handoff", "delete");
        AccountComponent account = fixture.start("pops", props);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.distinct() == 30);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.dovecot.messageCount(RetrievalFixture.USER, "INBOX") == 0);
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void accountTestReportsTlsLoginAndFolders() throws Exception {
        AccountComponent account = fixture.start("probe", fixture.properties("imap", 143));
        assertThat(account.test()).anyMatch(l -> l.startsWith("TLS TLSv1.3")).contains("logged in as alice")
                .anyMatch(l -> l.startsWith("folder INBOX"));
    }

    private static byte[] readQuietly(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
