package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.EchoServer;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

/** What an attacker or a careless configuration could make of TLS, with OpenSSL as the peer. */
class TlsHardeningTest {

    private static Ca ca;
    private static Leaf rsaLeaf;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private TlsServiceImpl service;
    private EchoServer server;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
        rsaLeaf = TestPki.leaf(ca, "mail.test", "RSA", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "mail.test", "localhost");
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

    private Object[] rsaIdentity() throws Exception {
        return new Object[] {
            "identity.key", TestPki.pkcs8Key(dir.resolve("key.pem"), rsaLeaf.key()).toString(),
            "identity.certificates", TestPki.certificates(dir.resolve("chain.pem"), rsaLeaf).toString(),
            "trust.pem", TestPki.certificates(dir.resolve("ca.pem"), ca.certificate()).toString()};
    }

    private Object[] rsaIdentityWith(Object... more) throws Exception {
        return TestSupport.with(rsaIdentity(), more);
    }

    @Test
    void protocolsTheJdkHasDisabledAreRefusedAndTheDefaultsServe() throws Exception {
        service = service(log, rsaIdentityWith("protocols", "TLSv1,SSLv3"));

        assertThat(service.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("protocols: \"TLSv1\" is disabled in this JDK (jdk.tls.disabledAlgorithms); usable: TLSv1.3, TLSv1.2"));
        assertThat(service.status().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(service.status().serverReady()).isTrue();
        server = new EchoServer(service);
        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            handshake(client);
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aDisabledProtocolLaterKeepsTheLastGoodSetting() throws Exception {
        service = service(log, rsaIdentityWith("protocols", "TLSv1.2"));
        assertThat(service.status().lastError()).isEmpty();

        service.modified(TestSupport.config(rsaIdentityWith("protocols", "TLSv1.2 SSLv3")));

        assertThat(service.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("protocols: \"SSLv3\" is disabled in this JDK"));
        assertThat(service.status().protocols()).containsExactly("TLSv1.2");
        assertThat(service.serverEngine().getEnabledProtocols()).containsExactly("TLSv1.2");
    }

    @Test
    void cbcSuitesAreNotNegotiableUnderTls12ByDefault() throws Exception {
        service = service(log, rsaIdentity());
        server = new EchoServer(service);

        OpenSsl cbc = OpenSsl.connect(server.port(), "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA");
        assertThat(cbc.exitCode()).as(cbc.output()).isNotZero();
        assertThat(cbc.output()).containsIgnoringCase("handshake failure");

        OpenSsl gcm = OpenSsl.connect(server.port(), "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        assertThat(gcm.exitCode()).as(gcm.output()).isZero();
        assertThat(gcm.output()).contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256");

        assertThat(service.status().cipherSuites()).allMatch(ProtocolsAndSuites::aeadWithForwardSecrecy)
                .noneMatch(suite -> suite.contains("_CBC_"));
    }

    /** Outbound, an MTA that has nothing better than CBC is still better reached over TLS than not at all. */
    @Test
    void theClientStillReachesAServerThatOnlySpeaksCbc() throws Exception {
        TlsServiceImpl oldMta = service(log, rsaIdentityWith("cipher.suites", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "protocols", "TLSv1.2"));
        try (EchoServer old = new EchoServer(oldMta)) {
            service = service(log, rsaIdentity());
            assertThat(service.serverEngine().getEnabledCipherSuites()).doesNotContain("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");

            try (SSLSocket client = service.createClientSocket(old.connectPlain(), "localhost", old.port())) {
                handshake(client);
                assertThat(client.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
            }
        } finally {
            oldMta.deactivate();
        }
    }

    @Test
    void anOperatorMayStillChooseOtherSuites() throws Exception {
        service = service(log, rsaIdentityWith("cipher.suites", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
        server = new EchoServer(service);

        OpenSsl cbc = OpenSsl.connect(server.port(), "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA");
        assertThat(cbc.exitCode()).as(cbc.output()).isZero();
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        service = service(log, rsaIdentity());
        server = new EchoServer(service);

        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("renegotiate.out").toFile()).start();
        try (OutputStream stdin = openssl.getOutputStream()) {
            stdin.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> read(dir.resolve("renegotiate.out")).contains("echo hello"));
            stdin.write("R\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            // With renegotiation allowed, OpenSSL stays connected waiting for more input.
            assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).as(read(dir.resolve("renegotiate.out"))).isTrue();
        } finally {
            openssl.destroyForcibly();
        }
        assertThat(read(dir.resolve("renegotiate.out"))).contains("RENEGOTIATING");
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.failures().isEmpty());
        assertThat(server.failures().get(0)).hasMessageContaining("renegotiation");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /** One run of {@code openssl s_client} to completion, with nothing to send. */
    private record OpenSsl(int exitCode, String output) {

        static OpenSsl connect(int port, String... options) throws Exception {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
            command.addAll(List.of(options));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl s_client did not finish: " + output);
            }
            return new OpenSsl(process.exitValue(), output);
        }
    }
}
