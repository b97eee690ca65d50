package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.tls.internal.TestSupport.echo;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.EchoServer;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

class HandshakeTest {

    private static Ca ca;
    private static Ca otherCa;
    private static Leaf leaf;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private TlsServiceImpl service;
    private EchoServer server;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
        otherCa = TestPki.ca("Other CA");
        leaf = TestPki.leaf(ca, "mail.test");
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

    /** A service serving {@link #leaf} and trusting {@link #ca}, plus the given properties. */
    private TlsServiceImpl trustingService(Object... more) throws Exception {
        Object[] base = {
            "identity.key", TestPki.pkcs8Key(dir.resolve("key.pem"), leaf.key()).toString(),
            "identity.certificates", TestPki.certificates(dir.resolve("chain.pem"), leaf).toString(),
            "trust.pem", TestPki.certificates(dir.resolve("ca.pem"), ca.certificate()).toString()};
        return service(log, TestSupport.with(base, more));
    }

    @Test
    void everyEngineAndSocketHasTls13AndTls12OnlyByDefault() throws Exception {
        service = trustingService();

        assertThat(service.serverEngine().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(service.serverEngine().getUseClientMode()).isFalse();
        assertThat(service.serverContext().createSSLEngine().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(service.clientEngine("localhost", 25, PeerVerification.FULL).getEnabledProtocols())
                .containsExactly("TLSv1.3", "TLSv1.2");
        SSLEngine client = service.clientEngine("localhost", 25, PeerVerification.FULL);
        assertThat(client.getUseClientMode()).isTrue();
        assertThat(client.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(service.clientEngine("localhost", 25, PeerVerification.CHAIN).getSSLParameters()
                .getEndpointIdentificationAlgorithm()).isNull();
        try (SSLSocket socket = (SSLSocket) service.clientSocketFactory(PeerVerification.FULL).createSocket()) {
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
        try (SSLServerSocket socket = (SSLServerSocket) service.serverContext().getServerSocketFactory().createServerSocket(0)) {
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
        assertThat(service.status().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void defaultCipherSuitesLeaveOutWeakOnes() throws Exception {
        service = trustingService();

        assertThat(service.status().cipherSuites())
                .isNotEmpty()
                .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
                .noneMatch(ProtocolsAndSuites::weak)
                .noneMatch(suite -> suite.startsWith("TLS_RSA_WITH_"));
        assertThat(service.serverEngine().getEnabledCipherSuites()).containsExactlyElementsOf(service.status().cipherSuites());
    }

    @Test
    void configuredProtocolsAndCipherSuitesAreWhatIsNegotiated() throws Exception {
        service = trustingService("protocols", new String[] {"TLSv1.2"},
                "cipher.suites", new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        server = new EchoServer(service);

        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            handshake(client);
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(client.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
        assertThat(service.serverEngine().getEnabledProtocols()).containsExactly("TLSv1.2");
    }

    @Test
    void aCfgFileListInOneStringWorksToo() throws Exception {
        service = trustingService("protocols", "TLSv1.3, TLSv1.2");

        assertThat(service.status().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(service.status().lastError()).isEmpty();
    }

    @Test
    void unknownProtocolIsAConfigurationErrorAndTheDefaultsServe() throws Exception {
        service = trustingService("protocols", new String[] {"TLSv1.4"});

        assertThat(service.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("configuration org.mailslot.tls: protocols: \"TLSv1.4\" is not supported"));
        assertThat(service.status().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(service.status().serverReady()).isTrue();
    }

    @Test
    void loopbackHandshakeVerifiesLocalhost() throws Exception {
        service = trustingService();
        server = new EchoServer(service);

        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            X509Certificate presented = handshake(client);

            assertThat(presented).isEqualTo(leaf.certificate());
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(echo(client, "hello")).isEqualTo("echo hello");
        }
        try (SSLSocket client = (SSLSocket) service.clientSocketFactory(PeerVerification.FULL).createSocket("localhost", server.port())) {
            assertThat(handshake(client)).isEqualTo(leaf.certificate());
        }
    }

    @Test
    void wrongHostNameFailsTheHandshake() throws Exception {
        service = trustingService();
        server = new EchoServer(service);

        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "mail.example.org", server.port())) {
            assertThatThrownBy(() -> handshake(client))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("No subject alternative DNS name matching mail.example.org found");
        }
    }

    @Test
    void chainVerificationIgnoresTheHostName() throws Exception {
        service = trustingService();
        server = new EchoServer(service);

        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "mail.example.org", server.port(),
                PeerVerification.CHAIN)) {
            assertThat(handshake(client)).isEqualTo(leaf.certificate());
        }
    }

    @Test
    void untrustedCaFailsTheHandshake() throws Exception {
        TlsServiceImpl untrusted = service(log, "self.signed.enabled", false,
                "trust.pem", TestPki.certificates(dir.resolve("other.pem"), otherCa.certificate()).toString());
        service = trustingService();
        server = new EchoServer(service);

        try (SSLSocket client = untrusted.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            assertThatThrownBy(() -> handshake(client))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("unable to find valid certification path to requested target");
        }
        try (SSLSocket client = untrusted.createClientSocket(server.connectPlain(), "localhost", server.port(),
                PeerVerification.NONE)) {
            assertThat(handshake(client)).isEqualTo(leaf.certificate());
        } finally {
            untrusted.deactivate();
        }
    }

    @Test
    void aChainIsVerifiedAfterTheFactWithoutAHandshake() throws Exception {
        service = trustingService();
        Leaf wildcard = TestPki.leaf(ca, "mx", "EC", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "*.mx.test", "mail.test");
        Leaf expired = TestPki.leaf(ca, "old", "EC", Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), "mail.test");
        Leaf foreign = TestPki.leaf(otherCa, "foreign", "EC", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "mail.test");

        service.verifyServer(chain(wildcard), "a.mx.test");
        service.verifyServer(chain(wildcard), "MAIL.test.");
        assertThatThrownBy(() -> service.verifyServer(chain(wildcard), "b.a.mx.test"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("No name matching b.a.mx.test found");
        assertThatThrownBy(() -> service.verifyServer(chain(wildcard), "mx.test"))
                .hasMessageContaining("No name matching mx.test found");
        assertThatThrownBy(() -> service.verifyServer(chain(expired), "mail.test"))
                .isInstanceOf(CertificateException.class).hasRootCauseInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> service.verifyServer(chain(foreign), "mail.test"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("unable to find valid certification path to requested target");
    }

    private static X509Certificate[] chain(Leaf leaf) {
        return leaf.chain().toArray(new X509Certificate[0]);
    }

    @Test
    void extraAnchorsComeOnTopOfTheJdkOnes() throws Exception {
        service = trustingService();

        assertThat(service.status().extraTrustAnchors()).isEqualTo(1);
        assertThat(acceptedIssuers(service)).contains(ca.certificate()).hasSizeGreaterThan(10);

        TlsServiceImpl onlyExtra = service(log, "trust.jdk.defaults", false,
                "trust.pem", dir.resolve("ca.pem").toString(), "self.signed.enabled", false);
        try {
            assertThat(acceptedIssuers(onlyExtra)).containsExactly(ca.certificate());
        } finally {
            onlyExtra.deactivate();
        }
    }

    @Test
    void extraAnchorsFromAPkcs12TrustStore() throws Exception {
        Path trustStore = TestPki.trustPkcs12(dir.resolve("trust.p12"), "trust-secret", ca.certificate(), otherCa.certificate());
        TlsServiceImpl serving = service(log,
                "identity.pkcs12", TestPki.pkcs12(dir.resolve("server.p12"), leaf, "secret", "server").toString(),
                ".identity.pkcs12.password", "secret");
        service = service(log, "trust.pkcs12", trustStore.toString(), ".trust.pkcs12.password", "trust-secret",
                "self.signed.enabled", false);
        server = new EchoServer(serving);

        try (SSLSocket client = service.createClientSocket(server.connectPlain(), "localhost", server.port())) {
            assertThat(handshake(client)).isEqualTo(leaf.certificate());
        } finally {
            serving.deactivate();
        }
        assertThat(service.status().extraTrustAnchors()).isEqualTo(2);
    }

    @Test
    void serverAndClientEnginesHandshakeInMemory() throws Exception {
        service = trustingService();

        SSLEngine client = service.clientEngine("localhost", 465, PeerVerification.FULL);
        SSLEngine serverEngine = service.serverEngine();
        handshake(client, serverEngine);

        assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(leaf.certificate());
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");

        SSLEngine wrongHost = service.clientEngine("mail.example.org", 465, PeerVerification.FULL);
        assertThatThrownBy(() -> handshake(wrongHost, service.serverEngine()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative DNS name matching mail.example.org found");
    }

    @Test
    void fullVerificationNeedsAHostName() throws Exception {
        service = trustingService();

        assertThatThrownBy(() -> service.clientEngine(null, 25, PeerVerification.FULL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the host name");
        assertThatThrownBy(() -> service.createClientSocket(new Socket(), " ", 25))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(service.clientEngine(null, 25, PeerVerification.NONE)).isNotNull();
    }

    @Test
    void contextsHandedOutCannotBeReinitialised() throws Exception {
        service = trustingService();

        assertThatThrownBy(() -> service.serverContext().init(null, null, null))
                .hasMessageContaining("initialised already");
    }

    private static X509Certificate[] acceptedIssuers(TlsServiceImpl tls) {
        return ((javax.net.ssl.X509TrustManager) tls.material().trustManagers()[0]).getAcceptedIssuers();
    }
}
