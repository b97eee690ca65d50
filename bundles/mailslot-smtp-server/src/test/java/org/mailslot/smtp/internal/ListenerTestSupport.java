package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;

/**
 * Listeners built with {@code new}: the real TLS service with a test CA's certificate, a fake
 * authenticator and a spool in memory.
 */
abstract class ListenerTestSupport {

    static final PortStrategy RELAY = PortStrategy.of(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
    static final PortStrategy SUBMISSION = PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
    static final PortStrategy SUBMISSIONS = PortStrategy.of(465, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
    static final String HOST = "mx.mailslot.test";

    static TestCa ca;
    static TlsServiceImpl tls;
    static Path caPem;

    final FakeAuthenticator users = new FakeAuthenticator().user("alice", "s3cret").user("bob@example.test", "pw");
    final MemorySubmission spool = new MemorySubmission();
    volatile MailSubmission submission = spool;
    /** One for all the listeners a test starts, as DS gives one to all of them. */
    AuthThrottle authThrottle = new AuthThrottle(10, Duration.ofMinutes(15), Duration.ofMinutes(15), Clock.systemUTC());
    private final List<Listener> started = new ArrayList<>();

    @BeforeAll
    static synchronized void tls() throws IOException {
        if (tls != null) {
            return;
        }
        Path dir = Files.createTempDirectory("mailslot-smtp-test");
        ca = TestCa.create();
        IssuedCertificate server = ca.issueServer("127.0.0.1", "localhost", HOST);
        Path key = server.writeKeyPem(dir.resolve("key.pem"));
        Path chain = server.writeChainPem(dir.resolve("chain.pem"));
        caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        tls = new TlsServiceImpl(Configs.of(TlsServiceImpl.Config.class,
                "identity.key", key.toString(), "identity.certificates", chain.toString(),
                "self.signed.enabled", false, "reload.interval.seconds", 0));
    }

    @AfterEach
    void stopListeners() {
        started.forEach(Listener::close);
    }

    /**
     * A listener on a free port of 127.0.0.1, bound with the strategy, with these configuration overrides (null: unset).
     * Sender checks are off unless a test asks for them ({@code "sender.checks", null} for the role's default).
     */
    Listener start(PortStrategy strategy, Object... overrides) {
        Listener listener = create(strategy.port(), overrides);
        listener.strategy(Optional.of(strategy));
        assertThat(listener.status().state()).isEqualTo(ListenerState.BOUND);
        return listener;
    }

    Listener create(int strategyPort, Object... overrides) {
        Map<String, Object> config = new HashMap<>(Map.of("port", 0, "strategy", strategyPort, "hostname", HOST,
                "local.domains", new String[] {"example.test", "localhost"}, "shutdown.grace", 2,
                "sender.checks", "off"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                config.remove((String) overrides[i]);
            } else {
                config.put((String) overrides[i], overrides[i + 1]);
            }
        }
        Object[] flat = config.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray();
        Listener listener = new Listener(Settings.of("test", Configs.of(ListenerConfig.class, flat)), tls, users, authThrottle,
                () -> submission);
        started.add(listener);
        return listener;
    }

    static SSLContext clientTls() {
        return ca.clientSslContext();
    }

    /** Connects and reads the greeting. */
    static SmtpClient connect(Listener listener) throws IOException {
        SmtpClient client = SmtpClient.connect(listener.boundPort());
        assertThat(client.reply()).startsWith("220 " + HOST + " ESMTP");
        return client;
    }

    /** Connects, EHLO, STARTTLS, EHLO and AUTH PLAIN as alice. */
    static SmtpClient authenticated(Listener listener) throws IOException {
        SmtpClient client = connect(listener);
        assertThat(client.command("EHLO client.test")).startsWith("250-");
        assertThat(client.startTls(clientTls())).startsWith("220 2.0.0");
        assertThat(client.command("EHLO client.test")).contains("AUTH PLAIN LOGIN");
        assertThat(client.authPlain("alice", "s3cret")).isEqualTo("235 2.7.0 Authentication successful");
        return client;
    }

    /** MAIL, RCPT, DATA and the message; returns the reply to the end of data. */
    static String send(SmtpClient client, String from, String to, String message) throws IOException {
        assertThat(client.command("MAIL FROM:<" + from + ">")).startsWith("250 2.1.0");
        assertThat(client.command("RCPT TO:<" + to + ">")).startsWith("250 2.1.5");
        assertThat(client.command("DATA")).startsWith("354");
        client.raw(message + ".\r\n");
        return client.reply();
    }
}
