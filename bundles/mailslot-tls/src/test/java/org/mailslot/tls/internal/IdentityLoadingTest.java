package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

class IdentityLoadingTest {

    private static Ca ca;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private TlsServiceImpl service;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.deactivate();
        }
    }

    @Test
    void pkcs12Identity() throws Exception {
        Leaf leaf = TestPki.leaf(ca, "p12.test");
        Path file = TestPki.pkcs12(dir.resolve("server.p12"), leaf, "p12-secret", "server");

        service = service(log, "identity.pkcs12", file.toString(), ".identity.pkcs12.password", "p12-secret");

        TlsIdentity identity = service.status().identity().orElseThrow();
        assertThat(identity.subject()).isEqualTo("CN=p12.test,O=Mailslot tests");
        assertThat(identity.issuer()).isEqualTo("CN=Test CA,O=Mailslot tests");
        assertThat(identity.subjectAlternativeNames()).containsExactly("localhost");
        assertThat(identity.sha256Fingerprint()).isEqualTo(leaf.fingerprint());
        assertThat(identity.notAfter()).isEqualTo(leaf.certificate().getNotAfter().toInstant());
        assertThat(identity.source()).isEqualTo("PKCS#12 " + file + " (alias server)");
        assertThat(identity.selfSignedDefault()).isFalse();
        assertThat(service.status().lastError()).isEmpty();
        assertThat(servedBy(service)).isEqualTo(leaf.fingerprint());
        assertThat(log.all()).noneMatch(message -> message.contains("p12-secret"));
    }

    @Test
    void pkcs12WithSeveralKeysNeedsAnAlias() throws Exception {
        Leaf first = TestPki.leaf(ca, "first.test");
        Leaf second = TestPki.leaf(ca, "second.test");
        Path file = dir.resolve("two.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("first", first.key(), "pw".toCharArray(), first.chain().toArray(new Certificate[0]));
        store.setKeyEntry("second", second.key(), "pw".toCharArray(), second.chain().toArray(new Certificate[0]));
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "pw".toCharArray());
        }

        service = service(log, "identity.pkcs12", file.toString(), ".identity.pkcs12.password", "pw");
        assertThat(service.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith(file + ": contains 2 private keys").endsWith("set identity.alias to choose one"));
        service.deactivate();

        service = service(log, "identity.pkcs12", file.toString(), ".identity.pkcs12.password", "pw", "identity.alias", "second");
        assertThat(service.status().identity().orElseThrow().subject()).startsWith("CN=second.test");
    }

    static Stream<Arguments> pemKeys() {
        return Stream.of(
                Arguments.of("PKCS#8 EC", "EC", "pkcs8", null),
                Arguments.of("PKCS#8 RSA", "RSA", "pkcs8", null),
                Arguments.of("traditional RSA", "RSA", "traditional", null),
                Arguments.of("traditional EC", "EC", "traditional", null),
                Arguments.of("traditional EC, curve in the EC PARAMETERS block only", "EC", "traditional-curve-apart", null),
                Arguments.of("encrypted PKCS#8", "EC", "encrypted-pkcs8", "key-secret"),
                Arguments.of("encrypted traditional RSA", "RSA", "encrypted-traditional", "key-secret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pemKeys")
    void pemIdentity(String label, String algorithm, String form, String password) throws Exception {
        Leaf leaf = TestPki.leaf(ca, "pem.test", algorithm, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "localhost");
        Path key = dir.resolve("key.pem");
        switch (form) {
            case "pkcs8" -> TestPki.pkcs8Key(key, leaf.key());
            case "traditional" -> TestPki.traditionalKey(key, leaf.key(), true);
            case "traditional-curve-apart" -> TestPki.traditionalKey(key, leaf.key(), false);
            case "encrypted-pkcs8" -> TestPki.encryptedPkcs8Key(key, leaf.key(), password);
            default -> TestPki.encryptedTraditionalKey(key, leaf.key(), password);
        }
        assertThat(Files.readAllLines(key)).contains(switch (form) {
            case "pkcs8" -> "-----BEGIN PRIVATE KEY-----";
            case "encrypted-pkcs8" -> "-----BEGIN ENCRYPTED PRIVATE KEY-----";
            default -> "-----BEGIN " + algorithm + " PRIVATE KEY-----";
        });
        Path chain = TestPki.certificates(dir.resolve("chain.pem"), leaf);

        service = service(log, "identity.key", key.toString(), "identity.certificates", chain.toString(),
                ".identity.key.password", password == null ? "" : password);

        assertThat(service.status().lastError()).isEmpty();
        TlsIdentity identity = service.status().identity().orElseThrow();
        assertThat(identity.subject()).isEqualTo("CN=pem.test,O=Mailslot tests");
        assertThat(identity.source()).isEqualTo("PEM key " + key + ", certificates " + chain);
        assertThat(servedBy(service)).isEqualTo(leaf.fingerprint());
        if (password != null) {
            assertThat(log.all()).noneMatch(message -> message.contains(password));
        }
    }

    /** The fingerprint of the certificate a server engine presents to an accepting client engine. */
    static String servedBy(TlsServiceImpl tls) throws Exception {
        SSLEngine client = tls.clientEngine("localhost", 25, PeerVerification.NONE);
        handshake(client, tls.serverEngine());
        return IdentityInfo.fingerprint((java.security.cert.X509Certificate) client.getSession().getPeerCertificates()[0]);
    }
}
