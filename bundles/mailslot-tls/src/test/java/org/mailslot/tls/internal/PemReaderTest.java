package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.tls.internal.TestPki.Ca;
import org.mailslot.tls.internal.TestPki.Leaf;

class PemReaderTest {

    private static Ca ca;
    private static Leaf leaf;

    @TempDir
    Path dir;
    private final FileStamps stamps = new FileStamps();

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("PEM CA");
        leaf = TestPki.leaf(ca, "pem.test");
    }

    @Test
    void certificatesComeInFileOrderAndTheFileIsStamped() throws Exception {
        Path file = TestPki.certificates(dir.resolve("chain.pem"), leaf.chain().get(0), ca.certificate());
        assertThat(PemReader.certificates(file, stamps)).containsExactly(leaf.chain().get(0), ca.certificate());
        assertThat(stamps.files()).containsExactly(file);
    }

    @Test
    void aFileWithoutCertificatesSaysWhatWasExpected() throws Exception {
        Path file = TestPki.pkcs8Key(dir.resolve("key.pem"), leaf.key());
        assertThatThrownBy(() -> PemReader.certificates(file, stamps)).isInstanceOf(MaterialException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void pkcs8AndTraditionalKeysReadAsTheSameKey() throws Exception {
        assertThat(PemReader.privateKey(TestPki.pkcs8Key(dir.resolve("p8.pem"), leaf.key()), null, stamps))
                .isEqualTo(leaf.key());
        KeyPair ec = TestPki.keyPair("EC");
        // openssl ecparam -genkey without -noout: the curve in its own EC PARAMETERS block
        PrivateKey read = PemReader.privateKey(TestPki.traditionalKey(dir.resolve("ec.pem"), ec.getPrivate(), false),
                null, stamps);
        assertThat(read.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void anEncryptedKeyNeedsItsPasswordAndNamesTheSetting() throws Exception {
        Path file = TestPki.encryptedPkcs8Key(dir.resolve("enc.pem"), leaf.key(), "key-secret");
        assertThat(PemReader.privateKey(file, "key-secret".toCharArray(), stamps)).isEqualTo(leaf.key());
        assertThatThrownBy(() -> PemReader.privateKey(file, null, stamps))
                .hasMessageContaining(".identity.key.password");
        assertThatThrownBy(() -> PemReader.privateKey(file, "not-it".toCharArray(), stamps))
                .hasMessageContaining("wrong password").hasMessageNotContaining("not-it");
    }

    @Test
    void aFileWithoutAKeyListsTheFormsRead() throws Exception {
        Path file = TestPki.certificates(dir.resolve("cert.pem"), leaf);
        assertThatThrownBy(() -> PemReader.privateKey(file, null, stamps)).isInstanceOf(MaterialException.class)
                .hasMessageContaining("no PEM private key found");
    }
}
