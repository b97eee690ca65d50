package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.mail.MessageSource;

class ProtectedStructureTest {

    private static Optional<RootProtection> judged(String message) throws IOException {
        MessageSource source = MessageSource.of(message.getBytes(StandardCharsets.UTF_8));
        return ProtectedStructure.of(HeaderSection.read(source), source);
    }

    @Test
    void realOpenPgpMessagesAreEncrypted() throws Exception {
        assertThat(judged(RealMessages.pgpEncrypted(false))).contains(new RootProtection(CryptoTechnology.PGP, true));
        assertThat(judged(RealMessages.pgpEncrypted(true))).contains(new RootProtection(CryptoTechnology.PGP, true));
    }

    @Test
    void realCmsMessagesAreEncrypted() throws Exception {
        assertThat(judged(RealMessages.cmsEncrypted(false))).contains(new RootProtection(CryptoTechnology.SMIME, true));
        assertThat(judged(RealMessages.cmsEncrypted(true))).contains(new RootProtection(CryptoTechnology.SMIME, true));
    }

    @Test
    void realSignaturesAreSigned() throws Exception {
        assertThat(judged(RealMessages.pgpSigned())).contains(new RootProtection(CryptoTechnology.PGP, false));
        assertThat(judged(RealMessages.cmsSigned())).contains(new RootProtection(CryptoTechnology.SMIME, false));
    }

    /** The crypto policy once read these without comments, so it judged differently from the OpenPGP bundle. */
    @Test
    void commentsInTheContentTypeChangeNothing() throws Exception {
        String real = RealMessages.pgpEncrypted(false);
        String commented = real.replace("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
                + " boundary=\"B0\"", "Content-Type: multipart/encrypted (x); protocol=\"application/pgp-encrypted\"\r\n"
                + " (RFC 3156); boundary=B0 (c)");
        assertThat(commented).isNotEqualTo(real);
        assertThat(judged(commented)).contains(new RootProtection(CryptoTechnology.PGP, true));
        String signed = RealMessages.pgpSigned().replace("boundary=\"S0\"", "boundary=S0 (c)");
        assertThat(judged(signed)).contains(new RootProtection(CryptoTechnology.PGP, false));
    }

    @Test
    void plaintextUnderAnEncryptedLabelIsNot() throws Exception {
        assertThat(judged(RealMessages.HEADERS + "Content-Type: multipart/encrypted;\r\n"
                + " protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n")).isEmpty();
        assertThat(judged(RealMessages.pgpMime("the plans, in clear\r\n"))).isEmpty();
        assertThat(judged(RealMessages.pgpMime("-----BEGIN PGP MESSAGE-----\r\n\r\n"
                + Base64.getEncoder().encodeToString("the plans, in clear".getBytes(StandardCharsets.US_ASCII))
                + "\r\n-----END PGP MESSAGE-----\r\n"))).isEmpty();
        assertThat(judged(RealMessages.pkcs7Mime("enveloped-data", "the plans, in clear".getBytes(StandardCharsets.US_ASCII))))
                .isEmpty();
        assertThat(judged(RealMessages.HEADERS + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\n"
                + "the plans, in clear\r\n")).isEmpty();
    }

    @Test
    void openPgpPacketsThatAreNotAnEncryptedMessageAreNot() throws Exception {
        // A literal data packet (tag 11) holding the plans: valid OpenPGP, not encrypted.
        byte[] literal = "\u00cb\u0019b\u0000\u0000\u0000\u0000\u0000the plans, in clear".getBytes(StandardCharsets.ISO_8859_1);
        literal[1] = (byte) (literal.length - 2);
        assertThat(judged(RealMessages.pgpMime(RealMessages.armor(literal)))).isEmpty();

        String real = RealMessages.pgpEncrypted(false);
        String withoutVersion = real.replace("Version: 1", "Version: 2");
        assertThat(judged(withoutVersion)).isEmpty();
        String armored = real.substring(real.indexOf("-----BEGIN"), real.indexOf("-----END PGP MESSAGE-----") + 25);
        byte[] binary = PgpPackets.dearmor(armored.getBytes(StandardCharsets.US_ASCII), "MESSAGE");
        byte[] truncated = java.util.Arrays.copyOf(binary, binary.length - 30);
        assertThat(judged(RealMessages.pgpMime(RealMessages.armor(truncated)))).isEmpty();
        byte[] trailing = java.util.Arrays.copyOf(binary, binary.length + literal.length);
        System.arraycopy(literal, 0, trailing, binary.length, literal.length);
        assertThat(judged(RealMessages.pgpMime(RealMessages.armor(trailing)))).isEmpty();
        // Control: the same octets re-armored are still a message.
        assertThat(judged(RealMessages.pgpMime(RealMessages.armor(binary)))).isPresent();
    }

    @Test
    void cmsThatIsNotEnvelopedIsNot() throws Exception {
        String signed = RealMessages.cmsSigned();
        String signature = signed.substring(signed.indexOf("base64\r\n\r\n") + 10, signed.indexOf("\r\n--S1--"));
        byte[] signedData = Base64.getMimeDecoder().decode(signature);
        assertThat(judged(RealMessages.pkcs7Mime("enveloped-data", signedData))).isEmpty();
        String real = RealMessages.cmsEncrypted(true);
        byte[] der = Base64.getMimeDecoder().decode(real.substring(real.indexOf("base64\r\n\r\n") + 10));
        assertThat(judged(RealMessages.pkcs7Mime("authEnveloped-data", java.util.Arrays.copyOf(der, der.length / 2)))).isEmpty();
    }

    @Test
    void aLabelledSignatureWithoutOneIsNot() throws Exception {
        assertThat(judged(RealMessages.HEADERS + "Content-Type: multipart/signed; protocol=\"application/pgp-signature\";"
                + " boundary=s\r\n\r\n--s\r\nhi\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\ntrust me\r\n--s--\r\n"))
                .isEmpty();
        assertThat(judged(RealMessages.pgpSigned().replace("application/pgp-signature\r\n", "text/plain\r\n"))).isEmpty();
        assertThat(judged(RealMessages.HEADERS + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " boundary=s\r\n\r\n--s\r\nhi\r\n--s\r\nContent-Type: application/pkcs7-signature\r\n\r\nMIIB\r\n--s--\r\n"))
                .isEmpty();
    }
}
