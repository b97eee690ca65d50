package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.tls.internal.TestSupport.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

class IdentityResolverTest {

    private static Ca ca;
    private static Leaf leaf;

    @TempDir
    Path dir;
    private final RecordingLog log = new RecordingLog();
    private final IdentityResolver resolver = new IdentityResolver(Clock.systemUTC(), log.logger());
    private final FileStamps stamps = new FileStamps();

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Identity CA");
        leaf = TestPki.leaf(ca, "identity.test");
    }

    @Test
    void aPemKeyWithItsCertificates() throws Exception {
        Path key = TestPki.pkcs8Key(dir.resolve("key.pem"), leaf.key());
        Path certs = TestPki.certificates(dir.resolve("certs.pem"), leaf);
        Identity identity = resolver.resolve(settings("identity.key", key.toString(), "identity.certificates",
                certs.toString()), stamps);
        assertThat(identity.chain()).isEqualTo(leaf.chain());
        assertThat(identity.info().source()).isEqualTo("PEM key " + key + ", certificates " + certs);
        assertThat(stamps.files()).containsExactly(key, certs);
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingTheKeyFile() throws Exception {
        Path key = TestPki.pkcs8Key(dir.resolve("other.pem"), TestPki.leaf(ca, "other.test").key());
        Path certs = TestPki.certificates(dir.resolve("certs.pem"), leaf);
        assertThatThrownBy(() -> resolver.resolve(settings("identity.key", key.toString(), "identity.certificates",
                certs.toString()), stamps)).isInstanceOf(MaterialException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("does not match the certificate");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Leaf old = TestPki.leaf(ca, "old.test", "EC", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        Path p12 = TestPki.pkcs12(dir.resolve("old.p12"), old, "p12-secret", "old");
        assertThatThrownBy(() -> resolver.resolve(settings("identity.pkcs12", p12.toString(),
                ".identity.pkcs12.password", "p12-secret"), stamps)).hasMessageContaining("expired on");
    }

    @Test
    void withNothingConfiguredAGeneratedIdentityIsMadeOnceAndKept() throws Exception {
        Identity first = resolver.resolve(settings("self.signed.directory", dir.toString()), stamps);
        assertThat(first.info().source()).startsWith("generated self-signed ");
        assertThat(dir.resolve(IdentityResolver.SELF_SIGNED_KEY)).exists();
        Identity second = resolver.resolve(settings("self.signed.directory", dir.toString()), new FileStamps());
        assertThat(second.chain()).isEqualTo(first.chain());
    }

    @Test
    void withNothingConfiguredAndNoSelfSignedTheSettingsAreNamed() {
        assertThatThrownBy(() -> resolver.resolve(settings("self.signed.enabled", false), stamps))
                .hasMessageContaining("set identity.pkcs12, or identity.key and identity.certificates");
    }

    @Test
    void keysMatchOnlyTheirOwnPublicKey() throws Exception {
        Leaf other = TestPki.leaf(ca, "other.test");
        assertThat(IdentityResolver.matches(leaf.key(), leaf.chain().get(0).getPublicKey())).isTrue();
        assertThat(IdentityResolver.matches(leaf.key(), other.chain().get(0).getPublicKey())).isFalse();
    }

    private static Settings settings(Object... keysAndValues) throws MaterialException {
        return Settings.of(config(keysAndValues), null);
    }
}
