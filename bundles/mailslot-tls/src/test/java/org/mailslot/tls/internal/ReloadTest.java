package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailslot.tls.internal.IdentityLoadingTest.servedBy;
import static org.mailslot.tls.internal.TestSupport.config;
import static org.mailslot.tls.internal.TestSupport.echo;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.EchoServer;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

class ReloadTest {

    private static Ca ca;
    private static Leaf first;
    private static Leaf second;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private Path key;
    private Path chain;
    private Path trust;
    private TlsServiceImpl service;
    private EchoServer server;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
        first = TestPki.leaf(ca, "first.test");
        second = TestPki.leaf(ca, "second.test");
    }

    @BeforeEach
    void files() throws Exception {
        key = TestPki.pkcs8Key(dir.resolve("key.pem"), first.key());
        chain = TestPki.certificates(dir.resolve("chain.pem"), first);
        trust = TestPki.certificates(dir.resolve("ca.pem"), ca.certificate());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.deactivate();
        }
    }

    private Object[] properties(Object... more) {
        Object[] base = {"identity.key", key.toString(), "identity.certificates", chain.toString(), "trust.pem", trust.toString()};
        return TestSupport.with(base, more);
    }

    @Test
    void replacedFilesAreServedToNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
        service = service(log, properties());
        server = new EchoServer(service);

        try (SSLSocket open = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            assertThat(handshake(open)).isEqualTo(first.certificate());

            TestPki.pkcs8Key(key, second.key());
            TestPki.certificates(chain, second);
            service.checkForChanges();

            try (SSLSocket fresh = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
                assertThat(handshake(fresh)).isEqualTo(second.certificate());
                assertThat(echo(fresh, "new")).isEqualTo("echo new");
            }
            assertThat(echo(open, "still here")).isEqualTo("echo still here");
            assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first.certificate());
        }
        assertThat(service.status().identity().orElseThrow().subject()).startsWith("CN=second.test");
        assertThat(log.messages("INFO")).anyMatch(message -> message.equals("TLS files changed; reloading"));
    }

    @Test
    void unchangedFilesAreNotReloaded() throws Exception {
        service = service(log, properties());
        int loads = loads();

        service.checkForChanges();
        service.checkForChanges();
        TestPki.certificates(trust, ca.certificate());  // rewritten, same bytes
        service.checkForChanges();

        assertThat(loads()).isEqualTo(loads);
    }

    @Test
    void thePeriodicCheckPicksUpChangedFiles() throws Exception {
        service = service(log, properties("reload.interval.seconds", 1));
        assertThat(servedBy(service)).isEqualTo(first.fingerprint());

        TestPki.pkcs8Key(key, second.key());
        TestPki.certificates(chain, second);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(servedBy(service)).isEqualTo(second.fingerprint()));
    }

    @Test
    void aChangedConfigurationIsAppliedAtOnce() throws Exception {
        service = service(log, properties());
        Path otherKey = TestPki.pkcs8Key(dir.resolve("other-key.pem"), second.key());
        Path otherChain = TestPki.certificates(dir.resolve("other-chain.pem"), second);

        service.modified(config("identity.key", otherKey.toString(), "identity.certificates", otherChain.toString(),
                "protocols", new String[] {"TLSv1.3"}));

        assertThat(servedBy(service)).isEqualTo(second.fingerprint());
        assertThat(service.serverEngine().getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(service.status().extraTrustAnchors()).isZero();
    }

    @Test
    void reloadKeepsWorkingAfterDeactivate() throws Exception {
        service = service(log, properties("reload.interval.seconds", 1));
        service.deactivate();

        // Handed-out material outlives the component: nothing is closed on deactivate.
        assertThat(servedBy(service)).isEqualTo(first.fingerprint());
    }

    private int loads() {
        return (int) log.messages("INFO").stream().filter(message -> message.startsWith("TLS identity ")).count();
    }
}
