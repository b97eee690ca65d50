package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;

/**
 * A real Dovecot on 127.0.0.3 (IMAP 143/993, POP3 110/995) with one user, the real TLS service
 * trusting the test CA, the built-in mailbox-access strategies, and accounts built as DS would.
 */
final class RetrievalFixture implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "alice-secret-1";

    final TestCa ca = TestCa.create();
    final DovecotPeer dovecot;
    final TlsServiceImpl tls;
    final PortStrategyTable ports = new PortStrategyTable();
    final Whiteboard whiteboard = new Whiteboard();
    final Path dir;
    final RetrievalThreads threads = new RetrievalThreads();
    private final List<AccountComponent> accounts = new ArrayList<>();

    /** Dovecot's post-login capabilities without IDLE, UIDPLUS and MOVE, as an older or plainer server has them. */
    static final String PLAIN_IMAP = "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ NAMESPACE"
            + " CHILDREN UNSELECT";

    /** @param dovecotConfig lines added to dovecot.conf */
    RetrievalFixture(Path dir, String... dovecotConfig) throws IOException {
        this.dir = dir;
        DovecotPeer.Builder builder = DovecotPeer.builder().certificate(ca.issueServer(DovecotPeer.DEFAULT_ADDRESS))
                .authPort(0).user(USER, PASSWORD);
        for (String line : dovecotConfig) {
            builder.config(line);
        }
        this.dovecot = builder.start();
        Path trust = ca.writeCertificatePem(dir.resolve("ca.pem"));
        this.tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", trust.toString(), "trust.jdk.defaults", false, "reload.interval.seconds", 0,
                "self.signed.enabled", false)));
        ports.add(new MailboxAccessStrategy.Imaps(), 0);
        ports.add(new MailboxAccessStrategy.Imap(), 0);
        ports.add(new MailboxAccessStrategy.Pop3s(), 0);
        ports.add(new MailboxAccessStrategy.Pop3(), 0);
    }

    /** @return the configuration properties of an account on this Dovecot, to adjust */
    Map<String, Object> properties(String protocol, int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("protocol", protocol);
        p.put("host", dovecot.address());
        p.put("port", port);
        p.put("username", USER);
        p.put(".password", PASSWORD);
        p.put("poll.interval", "1s");
        p.put("reconnect.max", "1s");
        p.put("batch.size", 100);
        return p;
    }

    AccountSettings settings(String name, Map<String, Object> properties) {
        return AccountSettings.from(name, ComponentConfig.of(AccountConfig.class, properties), properties, dir.toString());
    }

    /** Starts an account as DS would (stopped on close unless stopped before). */
    AccountComponent start(String name, Map<String, Object> properties) throws IOException {
        AccountComponent account = new AccountComponent(settings(name, properties), tls, ports, whiteboard, threads,
                Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(1));
        accounts.add(account);
        return account;
    }

    List<AccountComponent> accounts() {
        return List.copyOf(accounts);
    }

    void stop(AccountComponent account) {
        account.stop();
        accounts.remove(account);
    }

    /** @return local Maildir files of an account */
    List<Path> stored(String name) throws IOException {
        try (var files = Files.list(dir.resolve("mailslot/retrieved").resolve(name).resolve("new"))) {
            return files.toList();
        }
    }

    static byte[] message(int n, int size) {
        StringBuilder m = new StringBuilder();
        m.append("From: sender@example.org\r\nTo: alice@example.org\r\nSubject: message ").append(n)
                .append("\r\nMessage-ID: <m").append(n).append("@example.org>\r\n\r\n");
        while (m.length() < size) {
            m.append("Line of message ").append(n).append(" padding the body to its size.\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static List<byte[]> messages(int from, int count, int size) {
        List<byte[]> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(message(i, size));
        }
        return list;
    }

    @Override
    public void close() {
        new ArrayList<>(accounts).forEach(this::stop);
        threads.close();
        dovecot.close(); // the TLS service has no reload thread (reload.interval.seconds=0)
    }
}
