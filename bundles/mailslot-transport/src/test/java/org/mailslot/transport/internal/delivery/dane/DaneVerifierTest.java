package org.mailslot.transport.internal.delivery.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.TestCa;

class DaneVerifierTest {

    private static final TestCa CA = TestCa.create();
    private static final IssuedCertificate MX = CA.issueServer("mx.dane.test");
    private static final X509Certificate[] CHAIN = {MX.certificate(), CA.certificate()};
    private static final Date NOW = new Date();

    private static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    private static DaneVerifier verifier(Tlsa... records) {
        return new DaneVerifier(List.of(records), List.of("mx.dane.test", "dane.test"));
    }

    @Test
    void daneEeMatchesTheServersCertificateOrKeyByEveryMatchingType() throws Exception {
        byte[] cert = MX.certificate().getEncoded();
        byte[] spki = MX.certificate().getPublicKey().getEncoded();
        for (Tlsa record : List.of(new Tlsa(3, 0, 0, cert), new Tlsa(3, 0, 1, digest("SHA-256", cert)),
                new Tlsa(3, 0, 2, digest("SHA-512", cert)), new Tlsa(3, 1, 0, spki),
                new Tlsa(3, 1, 1, digest("SHA-256", spki)), new Tlsa(3, 1, 2, digest("SHA-512", spki)))) {
            assertThat(verifier(record).verify(CHAIN, NOW)).isEqualTo(record);
        }
    }

    @Test
    void daneEeChecksNoNameAndNoExpiry() throws Exception {
        IssuedCertificate other = CA.issueServer(Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), "elsewhere.test");
        Tlsa record = new Tlsa(3, 1, 1, digest("SHA-256", other.certificate().getPublicKey().getEncoded()));
        assertThat(verifier(record).verify(new X509Certificate[] {other.certificate()}, NOW)).isEqualTo(record);
    }

    @Test
    void daneTaMatchesTheIssuerAndChecksTheName() throws Exception {
        Tlsa ta = new Tlsa(2, 1, 1, digest("SHA-256", CA.certificate().getPublicKey().getEncoded()));
        assertThat(verifier(ta).verify(CHAIN, NOW)).isEqualTo(ta);

        IssuedCertificate misnamed = CA.issueServer("other.test");
        assertThatThrownBy(() -> verifier(ta).verify(new X509Certificate[] {misnamed.certificate(), CA.certificate()},
                NOW)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("matches none of its 1 usable TLSA record")
                .hasMessageContaining("names [other.test], not [mx.dane.test, dane.test]");
    }

    @Test
    void daneTaRefusesACertificateTheAnchorDidNotIssue() throws Exception {
        TestCa otherCa = TestCa.create();
        IssuedCertificate stranger = otherCa.issueServer("mx.dane.test");
        Tlsa ta = new Tlsa(2, 0, 1, digest("SHA-256", CA.certificate().getEncoded()));
        // The attacker presents its own certificate with the real anchor appended.
        assertThatThrownBy(() -> verifier(ta).verify(new X509Certificate[] {stranger.certificate(), CA.certificate()},
                NOW)).isInstanceOf(CertificateException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aRecordForAnotherCertificateDoesNotMatch() throws Exception {
        Tlsa wrong = new Tlsa(3, 1, 1, new byte[32]);
        assertThatThrownBy(() -> verifier(wrong).verify(CHAIN, NOW)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("matches none of its 1 usable TLSA record");
    }

    @Test
    void pkixUsagesAndUnknownValuesAreUnusable() {
        assertThat(new Tlsa(0, 0, 1, new byte[32]).usable()).isFalse();
        assertThat(new Tlsa(1, 1, 1, new byte[32]).usable()).isFalse();
        assertThat(new Tlsa(3, 2, 1, new byte[32]).usable()).isFalse();
        assertThat(new Tlsa(3, 1, 3, new byte[32]).usable()).isFalse();
        assertThat(new Tlsa(3, 1, 1, new byte[31]).usable()).isFalse();
        assertThat(new Tlsa(2, 0, 2, new byte[64]).usable()).isTrue();
        assertThatThrownBy(() -> verifier(new Tlsa(1, 1, 1, new byte[32])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
