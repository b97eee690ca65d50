package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;

/**
 * An account's IMAP session against {@link FakeImapMailbox}, for what a real server will not do on
 * cue: sessions that drop after a good sync, messages vanishing mid-FETCH, another client's
 * \Deleted messages, servers without IDLE, UIDPLUS or MOVE. No fixed addresses: no lock needed.
 */
class ImapSessionTest {

    @TempDir
    Path dir;
    TestCa ca = TestCa.create();
    TlsServiceImpl tls;
    FakeImapMailbox server;
    PortStrategyTable ports = new PortStrategyTable(); // none for the fake's port: STARTTLS required
    Whiteboard whiteboard = new Whiteboard();
    RecordingHandler handler = new RecordingHandler();
    AccountComponent account;

    @BeforeEach
    void setUp() throws IOException {
        tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", ca.writeCertificatePem(dir.resolve("ca.pem")).toString(), "trust.jdk.defaults", false,
                "reload.interval.seconds", 0, "self.signed.enabled", false)));
        whiteboard.addHandler(handler, Map.of(MessageHandler.NAME, "recorder"));
    }

    final RetrievalThreads threads = new RetrievalThreads();

    @AfterEach
    void tearDown() throws IOException {
        if (account != null) {
            account.stop();
        }
        if (server != null) {
            server.close();
        }
        threads.close();
    }

    private void serve(String... capabilities) throws IOException {
        server = new FakeImapMailbox(ca.issueServer("127.0.0.1").serverSslContext(), capabilities);
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("host", "127.0.0.1");
        p.put("port", server.port());
        p.put("username", "alice");
        p.put(".password", "alice-secret");
        p.put("idle", false);
        p.put("poll.interval", "1h");
        p.put("heartbeat", "4m");
        p.put("reconnect.max", "1h");
        return p;
    }

    private AccountComponent start(Map<String, Object> p) throws IOException {
        account = new AccountComponent(AccountSettings.from("fake", ComponentConfig.of(AccountConfig.class, p), p,
                dir.toString()), tls, ports, whiteboard, threads, Clock.systemUTC(), Duration.ofMillis(50), Duration.ofSeconds(1));
        return account;
    }

    private void seed(int from, int count, int size) {
        for (int i = from; i < from + count; i++) {
            server.append("INBOX", RetrievalFixture.message(i, size));
        }
    }

    @Test
    void aSessionThatDropsAfterAGoodSyncReconnectsAfterOneSecondEveryTime() throws Exception {
        serve();
        seed(1, 2, 512);
        server.dropOnNoop = true; // each session syncs, then dies at its first heartbeat
        Map<String, Object> p = properties();
        p.put("heartbeat", "PT0.2S");
        p.put("read.timeout", 5);
        start(p);
        // Reset after each good session: sessions at about 0, 1.2, 2.4, 3.6, 4.8 s. Without the reset the
        // delays double (1, 2, 4, 8 s) and the fifth session comes after 15 s.
        await().atMost(Duration.ofMillis(7500)).until(() -> sessions() >= 5);
        assertThat(handler.distinct()).isEqualTo(2);
        assertThat(handler.duplicates()).isZero();
    }

    @Test
    void withoutUidplusAnotherClientsDeletedMessageIsNeverExpunged() throws Exception {
        serve(); // no UIDPLUS, no MOVE
        seed(1, 3, 512);
        AtomicBoolean otherClient = new AtomicBoolean();
        // While Mailslot fetches, another client adds a message and flags it \Deleted (not expunged yet).
        server.vanishOnFetch = uid -> {
            if (otherClient.compareAndSet(false, true)) {
                server.append("INBOX", RetrievalFixture.message(99, 300), "\\Deleted");
            }
            return false;
        };
        Map<String, Object> p = properties();
        p.put("after.handoff", "delete");
        start(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.distinct() == 3
                && account.status().lastError().isPresent());

        assertThat(account.status().lastError().orElseThrow()).contains("not expunged").contains("no UIDPLUS")
                .contains("UIDs 4");
        assertThat(server.commands("EXPUNGE")).isEmpty();
        assertThat(server.uids("INBOX")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(server.flags("INBOX", 1)).contains("\\Deleted");

        // The other client changes its mind; the next sync expunges ours, then takes message 4 too.
        server.flagsOf("INBOX", 4).remove("\\Deleted");
        account.fetch();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.uids("INBOX").isEmpty());
        assertThat(handler.distinct()).isEqualTo(4);
        assertThat(handler.duplicates()).isZero();
        assertThat(account.status().lastError()).isEmpty();
    }

    @Test
    void withUidplusOnlyOurUidsAreExpunged() throws Exception {
        serve("UIDPLUS");
        seed(1, 3, 512);
        AtomicBoolean otherClient = new AtomicBoolean();
        server.vanishOnFetch = uid -> {
            if (otherClient.compareAndSet(false, true)) {
                server.append("INBOX", RetrievalFixture.message(99, 300), "\\Deleted");
            }
            return false;
        };
        Map<String, Object> p = properties();
        p.put("after.handoff", "delete");
        start(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.uids("INBOX").equals(List.of(4L)));
        assertThat(server.commands("UID EXPUNGE")).containsExactly("UID EXPUNGE 1:3");
        assertThat(server.commands("EXPUNGE")).isEmpty();
        assertThat(server.flags("INBOX", 4)).contains("\\Deleted");
    }

    @Test
    void moveWithoutMoveCopiesThenExpungesOnlyOurs() throws Exception {
        serve();
        server.create("Archive", 7);
        seed(1, 3, 512);
        Map<String, Object> p = properties();
        p.put("after.handoff", "move");
        p.put("move.to", "Archive");
        start(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.uids("INBOX").isEmpty());
        assertThat(server.uids("Archive")).hasSize(3);
        assertThat(server.commands("UID COPY")).containsExactly("UID COPY 1:3 \"Archive\"");
        assertThat(server.commands("UID MOVE")).isEmpty();
        assertThat(server.commands("EXPUNGE")).containsExactly("EXPUNGE");
    }

    @Test
    void messagesExpungedMidFetchAreGoneAndTheOthersAreKept() throws Exception {
        serve();
        seed(1, 5, 512);
        // Another client expunges 2 and 4 between Mailslot's listing and its FETCH.
        server.vanishOnFetch = uid -> {
            if (uid == 2 || uid == 4) {
                server.remove("INBOX", uid);
                return true;
            }
            return false;
        };
        start(properties());
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.distinct() == 3);
        assertThat(handler.bySubject).containsOnlyKeys("message 1", "message 3", "message 5");
        assertThat(account.fetch()).isZero();
        assertThat(sessions()).isEqualTo(1); // the session went on
        assertThat(account.status().lastError()).isEmpty();
        assertThat(stored()).hasSize(3);
    }

    @Test
    void aMessageLeftOutButStillThereIsFetchedAgainAndNothingAfterItIsSkipped() throws Exception {
        serve();
        seed(1, 5, 512);
        AtomicBoolean once = new AtomicBoolean();
        server.vanishOnFetch = uid -> uid == 3 && once.compareAndSet(false, true); // left out once, not expunged
        Map<String, Object> p = properties();
        p.put("reconnect.max", "1s");
        start(p);
        await().atMost(Duration.ofSeconds(15)).until(() -> handler.distinct() == 5);
        assertThat(handler.duplicates()).isZero();
        assertThat(sessions()).isEqualTo(2);
        assertThat(stored()).hasSize(5);
    }

    @Test
    void eachFetchCommandStaysWithinBatchBytesAndABigMessageGoesAlone() throws Exception {
        serve();
        seed(1, 9, 40_000);
        server.append("INBOX", RetrievalFixture.message(10, 150_000));
        Map<String, Object> p = properties();
        p.put("batch.bytes", 100_000L);
        start(p);
        await().atMost(Duration.ofSeconds(20)).until(() -> handler.distinct() == 10);
        // 9 × ~40 kB two by two, then the big one on its own.
        assertThat(server.fetchResponseBytes).hasSize(6);
        assertThat(server.fetchResponseBytes.subList(0, 5)).allMatch(bytes -> bytes < 100_000 + 1_000);
        assertThat(server.fetchResponseBytes.get(5)).isGreaterThan(150_000);
        assertThat(server.commands("UID FETCH").get(0)).isEqualTo("UID FETCH 1:* (UID RFC822.SIZE)");
    }

    @Test
    void idleIsReissuedAtEveryHeartbeat() throws Exception {
        serve("IDLE");
        Map<String, Object> p = properties();
        p.put("idle", true);
        p.put("heartbeat", "PT0.3S");
        p.put("read.timeout", 5);
        start(p);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.commands("IDLE").size() >= 4);
        assertThat(server.received).contains("DONE");
        assertThat(sessions()).isEqualTo(1);
        assertThat(account.status().state()).isIn(AccountState.IDLE, AccountState.FETCHING);
    }

    @Test
    void pollingSendsNoopAtEveryHeartbeatBetweenPolls() throws Exception {
        serve("IDLE");
        Map<String, Object> p = properties();
        p.put("heartbeat", "PT0.2S");
        p.put("read.timeout", 5);
        start(p); // idle=false, poll.interval 1h
        await().atMost(Duration.ofSeconds(5)).until(() -> server.commands("NOOP").size() >= 4);
        assertThat(server.commands("IDLE")).isEmpty();
        assertThat(server.commands("UID FETCH")).hasSize(1); // one sync: the poll interval is an hour
        assertThat(account.status().state()).isEqualTo(AccountState.POLLING);
    }

    @Test
    void aServerWithoutIdleIsPolled() throws Exception {
        serve(); // no IDLE
        Map<String, Object> p = properties();
        p.put("idle", true);
        p.put("poll.interval", "PT0.5S");
        p.put("heartbeat", "PT0.2S");
        p.put("read.timeout", 5);
        start(p);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.commands("UID FETCH").size() >= 3);
        server.append("INBOX", RetrievalFixture.message(1, 512));
        await().atMost(Duration.ofSeconds(3)).until(() -> handler.distinct() == 1);
        assertThat(server.commands("IDLE")).isEmpty();
        assertThat(sessions()).isEqualTo(1);
    }

    @Test
    void aPortWhoseStrategySaysNoTlsIsNeverConnected() throws Exception {
        serve();
        ports.add(PortStrategy.of(server.port(), PortRole.MAILBOX_ACCESS, TlsMode.NONE, AuthPolicy.NONE), 0);
        start(properties());
        assertThatThrownBy(() -> account.test()).isInstanceOf(IOException.class).hasMessageContaining("TLS none");
        await().atMost(Duration.ofSeconds(5)).until(() -> AccountState.FAILED == account.status().state());
        assertThat(account.status().lastError().orElseThrow()).contains("never sent in clear");
        assertThat(server.received).isEmpty();
    }

    /** @return sessions that opened INBOX (Angus logs in twice per session: store and folder) */
    private int sessions() {
        return server.commands("SELECT").size() + server.commands("EXAMINE").size();
    }

    private List<Path> stored() throws IOException {
        try (var files = Files.list(dir.resolve("mailslot/retrieved/fake/new"))) {
            return files.toList();
        }
    }
}
