package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.tls.internal.TestSupport.config;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;

class TrustLoaderTest {

    private static Ca ca;
    private static Ca stranger;
    private static Leaf leaf;
    private static Leaf strangersLeaf;

    @TempDir
    Path dir;
    private final FileStamps stamps = new FileStamps();

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Trusted CA");
        stranger = TestPki.ca("Stranger CA");
        leaf = TestPki.leaf(ca, "trusted.test");
        strangersLeaf = TestPki.leaf(stranger, "stranger.test");
    }

    @Test
    void onlyTheConfiguredAnchorsWithoutTheJdks() throws Exception {
        Path pem = TestPki.certificates(dir.resolve("ca.pem"), ca.certificate());
        Material.Trust trust = TrustLoader.load(Settings.of(config("trust.pem", pem.toString(),
                "trust.jdk.defaults", false), null), stamps);
        assertThat(trust.extraAnchors()).isEqualTo(1);
        X509TrustManager manager = (X509TrustManager) trust.managers()[0];
        manager.checkServerTrusted(chain(leaf), "ECDHE_ECDSA");
        assertThatThrownBy(() -> manager.checkServerTrusted(chain(strangersLeaf), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(stamps.files()).containsExactly(pem);
    }

    @Test
    void pemAndPkcs12AnchorsAddUp() throws Exception {
        Path pem = TestPki.certificates(dir.resolve("ca.pem"), ca.certificate());
        Path p12 = TestPki.trustPkcs12(dir.resolve("trust.p12"), "store-secret", stranger.certificate());
        Material.Trust trust = TrustLoader.load(Settings.of(config("trust.pem", pem.toString(), "trust.pkcs12",
                p12.toString(), ".trust.pkcs12.password", "store-secret", "trust.jdk.defaults", false), null), stamps);
        assertThat(trust.extraAnchors()).isEqualTo(2);
        ((X509TrustManager) trust.managers()[0]).checkServerTrusted(chain(strangersLeaf), "ECDHE_ECDSA");
    }

    @Test
    void noAnchorAtAllNamesTheSettings() {
        assertThatThrownBy(() -> TrustLoader.load(Settings.of(config("trust.jdk.defaults", false), null), stamps))
                .isInstanceOf(MaterialException.class)
                .hasMessageContaining("trust.jdk.defaults is false and neither trust.pem nor trust.pkcs12 is set");
    }

    @Test
    void theJdksAnchorsAreThere() throws Exception {
        assertThat(TrustLoader.jdkAnchors()).isNotEmpty();
    }

    private static X509Certificate[] chain(Leaf leaf) {
        return leaf.chain().toArray(X509Certificate[]::new);
    }
}
