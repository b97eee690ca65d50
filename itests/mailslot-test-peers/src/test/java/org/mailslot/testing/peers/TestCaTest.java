package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaTest {

    private static final TestCa CA = TestCa.create();

    @Test
    void issuesAServerCertificateThatValidatesAgainstTheCa() throws Exception {
        IssuedCertificate cert = CA.issueServer("127.0.0.2", "mx.example.test");

        validate(cert, CA);
        assertThat(cert.chain()).hasSize(2).last().isEqualTo(CA.certificate());
        assertThat(cert.certificate().getSubjectAlternativeNames())
                .extracting(entry -> (Object) entry.get(1))
                .containsExactly("127.0.0.2", "mx.example.test");
        assertThat(cert.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(cert.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(CA.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void expiredCertificateIsRejected() {
        IssuedCertificate cert = CA.issueExpiredServer("127.0.0.2");

        assertThatThrownBy(() -> cert.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> validate(cert, CA)).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void certificateFromAnotherCaWithTheSameNameIsRejected() {
        IssuedCertificate cert = CA.issueUntrustedServer("127.0.0.2");

        assertThat(cert.chain().get(1).getSubjectX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
        assertThatThrownBy(() -> validate(cert, CA)).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void rsaCaIssuesRsaCertificates() throws Exception {
        TestCa rsa = TestCa.create("RSA Test CA", TestCa.KeyAlgorithm.RSA_2048);
        IssuedCertificate cert = rsa.issueServer("localhost");

        validate(cert, rsa);
        assertThat(cert.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void writesPemAndPkcs12(@TempDir Path dir) throws Exception {
        IssuedCertificate cert = CA.issueServer("127.0.0.3");

        Path key = cert.writeKeyPem(dir.resolve("key.pem"));
        Path chain = cert.writeChainPem(dir.resolve("chain.pem"));
        Path both = cert.writeKeyAndChainPem(dir.resolve("both.pem"));
        Path caPem = CA.writeCertificatePem(dir.resolve("ca.pem"));
        Path p12 = cert.writePkcs12(dir.resolve("server.p12"), "server", "pw".toCharArray());

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(both)).startsWith("-----BEGIN PRIVATE KEY-----").contains("BEGIN CERTIFICATE");
        assertThat(Files.readString(caPem)).isEqualTo(CA.certificatePem());
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (var in = Files.newInputStream(chain)) {
            assertThat(List.copyOf(factory.generateCertificates(in))).isEqualTo(cert.chain());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, "pw".toCharArray());
        }
        assertThat(store.getKey("server", "pw".toCharArray())).isEqualTo(cert.privateKey());
        assertThat(store.getCertificateChain("server")).containsExactlyElementsOf(cert.chain());
        assertThat(CA.trustStore().getCertificate("test-ca")).isEqualTo(CA.certificate());
    }

    private static void validate(IssuedCertificate cert, TestCa ca) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> path = cert.chain().subList(0, cert.chain().size() - 1);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), params);
    }
}
