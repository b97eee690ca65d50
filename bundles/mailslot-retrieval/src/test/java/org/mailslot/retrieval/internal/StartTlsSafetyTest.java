package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;

/** Client-side STARTTLS safety of Angus's IMAP store as Mailslot creates it, against a hostile server. */
class StartTlsSafetyTest {

    @TempDir
    Path dir;
    TestCa ca = TestCa.create();
    TlsServiceImpl tls;
    FakeImapServer server;
    AccountComponent account;

    @BeforeEach
    void setUp() throws IOException {
        tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", ca.writeCertificatePem(dir.resolve("ca.pem")).toString(), "trust.jdk.defaults", false,
                "reload.interval.seconds", 0, "self.signed.enabled", false)));
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

    @Test
    void pop3DiscardsWhatCameBeforeTheStlsHandshakeAndAsksCapaAgain() throws Exception {
        try (FakePop3Server pop3 = new FakePop3Server(ca.issueServer("127.0.0.1").serverSslContext(), true)) {
            assertThat(account("pop3", pop3.port()).test()).contains("logged in as alice");
            assertThat(pop3.received).filteredOn(l -> l.startsWith("clear: "))
                    .noneMatch(l -> l.contains("USER") || l.contains("PASS") || l.contains("AUTH"));
            assertThat(pop3.received).filteredOn(l -> l.startsWith("tls: ")).first().asString().contains("CAPA");
        }
    }

    @Test
    void aPop3ServerWithoutStlsNeverSeesTheCredentials() throws Exception {
        try (FakePop3Server pop3 = new FakePop3Server(ca.issueServer("127.0.0.1").serverSslContext(), false)) {
            assertThatThrownBy(() -> account("pop3", pop3.port()).test()).isInstanceOf(IOException.class);
            assertThat(pop3.received).noneMatch(l -> l.contains("never-in-clear") || l.startsWith("clear: PASS"));
        }
    }

    private AccountComponent account() throws IOException {
        return account("imap", server.port());
    }

    private AccountComponent account(String protocol, int port) throws IOException {
        Map<String, Object> p = Map.of("protocol", protocol, "host", "127.0.0.1", "port", port, "username", "alice",
                ".password", "never-in-clear", "idle", false, "poll.interval", "1h", "reconnect.max", "1h");
        // No strategy for this port: retrieval must treat it as STARTTLS required.
        account = new AccountComponent(AccountSettings.from("fake", ComponentConfig.of(AccountConfig.class, p), p,
                dir.toString()), tls, new PortStrategyTable(), new Whiteboard(), threads, Clock.systemUTC(), Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        return account;
    }

    @Test
    void whatTheServerSentBeforeTheHandshakeIsDiscardedAndCapabilityIsAskedAgain() throws Exception {
        server = new FakeImapServer(ca.issueServer("127.0.0.1").serverSslContext(),
                FakeImapServer.Behaviour.INJECT_AFTER_STARTTLS);
        assertThat(account().test()).contains("logged in as alice").anyMatch(l -> l.startsWith("TLS TLSv1."));
        assertThat(server.received).filteredOn(l -> l.startsWith("clear: ")).noneMatch(l -> l.contains("LOGIN")
                || l.contains("never-in-clear") || l.contains("AUTHENTICATE"));
        // The first thing after the handshake is a new CAPABILITY, not a use of the injected lines.
        assertThat(server.received).filteredOn(l -> l.startsWith("tls: ")).first().asString().contains("CAPABILITY");
    }

    @Test
    void aPlaintextPreauthIsRefused() throws Exception {
        server = new FakeImapServer(ca.issueServer("127.0.0.1").serverSslContext(),
                FakeImapServer.Behaviour.PREAUTH_IN_CLEAR);
        assertThatThrownBy(() -> account().test()).isInstanceOf(IOException.class).hasMessageContaining("PREAUTH");
        assertThat(server.received).noneMatch(l -> l.contains("never-in-clear") || l.contains("SELECT")
                || l.contains("EXAMINE") || l.contains("FETCH"));
    }

    @Test
    void aServerWithoutStartTlsNeverSeesTheCredentials() throws Exception {
        server = new FakeImapServer(ca.issueServer("127.0.0.1").serverSslContext(), FakeImapServer.Behaviour.NO_STARTTLS);
        assertThatThrownBy(() -> account().test()).isInstanceOf(IOException.class).hasMessageContaining("STARTTLS");
        assertThat(server.received).noneMatch(l -> l.contains("never-in-clear") || l.contains("LOGIN")
                || l.contains("AUTHENTICATE"));
        assertThat(account.status().state()).isIn(AccountState.CONNECTING, AccountState.BACKOFF);
    }
}
