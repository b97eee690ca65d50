package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.tls.internal.IdentityLoadingTest.servedBy;
import static org.mailslot.tls.internal.TestSupport.config;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.tls.TlsStatus;
import org.mailslot.api.tls.TlsUnavailableException;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.EchoServer;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

/** Every kind of bad material: a one-line error naming the file, and the last good identity still served. */
class BadMaterialTest {

    private static Ca ca;
    private static Leaf good;
    private static Leaf other;
    private static Leaf expired;
    private static Leaf notYetValid;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private Path key;
    private Path chain;
    private TlsServiceImpl service;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
        good = TestPki.leaf(ca, "good.test");
        other = TestPki.leaf(ca, "other.test");
        Instant now = Instant.now();
        expired = TestPki.leaf(ca, "expired.test", "EC", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "localhost");
        notYetValid = TestPki.leaf(ca, "future.test", "EC", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), "localhost");
    }

    @BeforeEach
    void startWithGoodMaterial() throws Exception {
        key = TestPki.pkcs8Key(dir.resolve("key.pem"), good.key());
        chain = TestPki.certificates(dir.resolve("chain.pem"), good);
        service = service(log, "identity.key", key.toString(), "identity.certificates", chain.toString());
        assertThat(service.status().lastError()).isEmpty();
    }

    @AfterEach
    void stop() {
        service.deactivate();
    }

    private void assertRefusedAndGoodStillServed(String expectedError) throws Exception {
        TlsStatus status = service.status();
        assertThat(status.lastError()).hasValue(expectedError);
        assertThat(status.lastErrorAt()).isPresent();
        assertThat(status.identity().orElseThrow().sha256Fingerprint()).isEqualTo(good.fingerprint());
        assertThat(status.serverReady()).isTrue();
        assertThat(servedBy(service)).isEqualTo(good.fingerprint());
        assertThat(log.messages("ERROR")).containsExactly("TLS material not loaded, still serving CN=good.test,O=Mailslot tests"
                + " from PEM key " + key + ", certificates " + chain + ": " + expectedError);
        assertThat(expectedError).doesNotContain("\n");
    }

    @Test
    void missingFile() throws Exception {
        Files.delete(key);
        service.checkForChanges();

        assertRefusedAndGoodStillServed(key + ": file not found");
    }

    @Test
    void wrongPasswordForAnEncryptedKey() throws Exception {
        Path encrypted = TestPki.encryptedPkcs8Key(dir.resolve("encrypted.pem"), good.key(), "right-secret");
        service.modified(config("identity.key", encrypted.toString(), "identity.certificates", chain.toString(),
                ".identity.key.password", "wrong-secret"));

        assertThat(service.status().lastError()).hasValue(encrypted + ": wrong password for the encrypted private key");
        assertThat(servedBy(service)).isEqualTo(good.fingerprint());
        assertThat(log.all()).noneMatch(message -> message.contains("right-secret") || message.contains("wrong-secret"));
    }

    @Test
    void encryptedKeyWithoutPassword() throws Exception {
        TestPki.encryptedPkcs8Key(key, good.key(), "right-secret");
        service.checkForChanges();

        assertRefusedAndGoodStillServed(key + ": the private key is encrypted; set .identity.key.password");
    }

    @Test
    void wrongPkcs12Password() throws Exception {
        Path p12 = TestPki.pkcs12(dir.resolve("server.p12"), other, "right-secret", "server");
        service.modified(config("identity.pkcs12", p12.toString(), ".identity.pkcs12.password", "wrong-secret"));

        assertThat(service.status().lastError()).hasValue(p12 + ": wrong password, or a damaged PKCS#12 file");
        assertThat(servedBy(service)).isEqualTo(good.fingerprint());
        assertThat(log.all()).noneMatch(message -> message.contains("right-secret") || message.contains("wrong-secret"));
    }

    @Test
    void expiredCertificate() throws Exception {
        TestPki.pkcs8Key(key, expired.key());
        TestPki.certificates(chain, expired);
        service.checkForChanges();

        assertRefusedAndGoodStillServed(chain + ": certificate CN=expired.test,O=Mailslot tests expired on "
                + expired.certificate().getNotAfter().toInstant());
    }

    @Test
    void notYetValidCertificate() throws Exception {
        TestPki.pkcs8Key(key, notYetValid.key());
        TestPki.certificates(chain, notYetValid);
        service.checkForChanges();

        assertRefusedAndGoodStillServed(chain + ": certificate CN=future.test,O=Mailslot tests is not valid before "
                + notYetValid.certificate().getNotBefore().toInstant());
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() throws Exception {
        TestPki.pkcs8Key(key, other.key());
        service.checkForChanges();

        assertRefusedAndGoodStillServed(key + ": the private key does not match the certificate CN=good.test,O=Mailslot tests in "
                + chain);
    }

    @Test
    void rsaKeyForAnEcCertificate() throws Exception {
        TestPki.pkcs8Key(key, TestPki.keyPair("RSA").getPrivate());
        service.checkForChanges();

        assertRefusedAndGoodStillServed(key + ": the private key does not match the certificate CN=good.test,O=Mailslot tests in "
                + chain);
    }

    @Test
    void unreadablePem() throws Exception {
        Files.writeString(chain, "this is not a certificate\n");
        service.checkForChanges();

        assertRefusedAndGoodStillServed(chain + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
    }

    @Test
    void truncatedPem() throws Exception {
        String pem = Files.readString(key);
        Files.writeString(key, pem.substring(0, pem.length() / 2));
        service.checkForChanges();

        assertThat(service.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith(key + ": not a readable PEM file (").doesNotContain("\n"));
        assertThat(servedBy(service)).isEqualTo(good.fingerprint());
    }

    @Test
    void theSameBadFilesAreReportedOnce() throws Exception {
        Files.delete(key);
        service.checkForChanges();
        service.checkForChanges();
        service.checkForChanges();

        assertThat(log.messages("ERROR")).hasSize(1);
    }

    @Test
    void goodMaterialClearsTheError() throws Exception {
        Files.delete(key);
        service.checkForChanges();
        assertThat(service.status().lastError()).isPresent();

        TestPki.pkcs8Key(key, other.key());
        TestPki.certificates(chain, other);
        service.checkForChanges();

        assertThat(service.status().lastError()).isEmpty();
        assertThat(servedBy(service)).isEqualTo(other.fingerprint());
    }

    @Test
    void bothIdentityFormsAreAConfigurationError() throws Exception {
        service.modified(config("identity.key", key.toString(), "identity.certificates", chain.toString(),
                "identity.pkcs12", dir.resolve("server.p12").toString()));

        assertThat(service.status().lastError()).hasValue(
                "configuration org.mailslot.tls: set either identity.pkcs12 or identity.key with identity.certificates, not both");
        assertThat(servedBy(service)).isEqualTo(good.fingerprint());
    }

    @Test
    void withoutEverAGoodIdentityTheServerRoleFailsClosedButClientsWork() throws Exception {
        Path missing = dir.resolve("missing.p12");
        TlsServiceImpl broken = service(log, "identity.pkcs12", missing.toString(),
                "trust.pem", TestPki.certificates(dir.resolve("ca.pem"), ca.certificate()).toString());
        try (EchoServer server = new EchoServer(service)) {
            assertThat(broken.status().serverReady()).isFalse();
            assertThat(broken.status().lastError()).hasValue(missing + ": file not found");
            assertThatThrownBy(broken::serverEngine)
                    .isInstanceOf(TlsUnavailableException.class)
                    .hasMessage("No TLS server identity is available: " + missing + ": file not found");
            assertThatThrownBy(broken::serverContext).isInstanceOf(TlsUnavailableException.class);
            try (Socket plain = server.connectPlain()) {
                assertThatThrownBy(() -> broken.createServerSideSocket(plain)).isInstanceOf(TlsUnavailableException.class);
            }

            // The trust anchors did load, so the client role verifies against them.
            try (SSLSocket client = broken.createClientSocket(server.connectPlain(), "localhost", server.port())) {
                assertThat(handshake(client)).isEqualTo(good.certificate());
            }
        } finally {
            broken.deactivate();
        }
    }

    @Test
    void aBadReloadAfterANeverGoodStartStaysClosed() throws Exception {
        Path missing = dir.resolve("missing.pem");
        TlsServiceImpl broken = service(log, "identity.key", missing.toString(), "identity.certificates", chain.toString());
        try {
            TestPki.pkcs8Key(missing, other.key());  // exists now, but does not match the certificate
            broken.checkForChanges();

            assertThat(broken.status().serverReady()).isFalse();
            assertThat(broken.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith(missing + ": the private key does not match"));

            TestPki.pkcs8Key(missing, good.key());
            broken.checkForChanges();

            assertThat(broken.status().serverReady()).isTrue();
            assertThat(servedBy(broken)).isEqualTo(good.fingerprint());
        } finally {
            broken.deactivate();
        }
    }

    @Test
    void aServedCertificateThatExpiresIsReportedButStillServed() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        RecordingLog expiryLog = new RecordingLog();
        TlsServiceImpl expiring = new TlsServiceImpl(config("identity.key", key.toString(), "identity.certificates", chain.toString(),
                "reload.interval.seconds", 0), expiryLog.logger(), clock, null);
        try {
            Instant notAfter = good.certificate().getNotAfter().toInstant();
            now.set(notAfter.plusSeconds(1));
            expiring.checkForChanges();
            expiring.checkForChanges();

            String expected = "PEM key " + key + ", certificates " + chain + ": certificate CN=good.test,O=Mailslot tests expired on "
                    + notAfter + "; still served until replaced";
            assertThat(expiring.status().lastError()).hasValue(expected);
            assertThat(expiring.status().serverReady()).isTrue();
            assertThat(expiryLog.messages("ERROR")).containsExactly(expected);
        } finally {
            expiring.deactivate();
        }
    }
}
