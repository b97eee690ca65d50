package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.smime.internal.Fixture.ALICE;
import static org.mailslot.smime.internal.Fixture.BOB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.testing.peers.Gpgsm;
import org.mailslot.testing.peers.Processes;

/**
 * Interop with Debian's gpgsm 2.2.40 in both directions. gpgsm 2.2 reads only EnvelopedData with
 * AES-CBC and RSA PKCS#1 v1.5 (see {@link Gpgsm}), which is what Mailslot sends to a recipient listed
 * in {@code smime.legacy.recipients}; so Bob (RSA) is such a recipient here.
 */
class GpgsmInteropTest {

    private static final String BOB_PASSPHRASE = "bob-agent-passphrase";
    private static final String HEADERS = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: gpgsm interop\r\n";
    private static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello gpgsm.\r\n";

    @TempDir
    static Path temp;

    private static Fixture fixture;
    private static Gpgsm gpgsm;
    private static SmimeComponent aliceSide;
    private static SmimeComponent bobSide;

    @BeforeAll
    static void peers() throws Exception {
        fixture = Fixture.get();
        Path ca = Fixture.write(temp.resolve("ca.pem"), fixture.ca.certificatePem());
        Path bobCert = Fixture.write(temp.resolve("bob.pem"), fixture.bob.certificatePem());
        Path bobKey = Fixture.write(temp.resolve("bob.key"), fixture.bob.keyPem());
        Path aliceCert = Fixture.write(temp.resolve("alice.pem"), fixture.alice.certificatePem());
        gpgsm = Gpgsm.create(temp.resolve("gpgsm"));
        gpgsm.importCertificate(ca);
        gpgsm.trustRoot(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(fixture.ca.certificate.getEncoded())));
        gpgsm.importIdentity(bobKey, bobCert, ca, BOB_PASSPHRASE);
        gpgsm.importCertificate(aliceCert);
        aliceSide = fixture.store(temp.resolve("alice"), new TestConfig().passphrase("p").legacy("bob@example.net"),
                Clock.systemUTC(), fixture.alice, fixture.bob);
        bobSide = fixture.store(temp.resolve("bob"), fixture.bob);
    }

    @AfterAll
    static void stopAgent() {
        if (gpgsm != null) {
            gpgsm.close();
        }
    }

    @Test
    void gpgsmDecryptsMailslotEnvelopedDataForALegacyRecipient() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.ENCRYPT, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(sent, StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data");
        assertThat(new String(gpgsm.decrypt(base64Body(sent), BOB_PASSPHRASE), StandardCharsets.US_ASCII)).isEqualTo(ENTITY);
    }

    @Test
    void gpgsmDecryptsAndVerifiesWhatMailslotSignsAndEncrypts() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN_AND_ENCRYPT, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(sent, StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data").doesNotContain("Hello gpgsm");

        byte[] decrypted = gpgsm.decrypt(base64Body(sent), BOB_PASSPHRASE);

        MimeEntity signed = MimeEntity.parse(decrypted);
        assertThat(signed.contentType().is("multipart/signed")).isTrue();
        List<MimeEntity.Range> parts = signed.multipartParts(signed.contentType().parameter("boundary"));
        byte[] content = java.util.Arrays.copyOfRange(decrypted, parts.get(0).from(), parts.get(0).to());
        assertThat(new String(content, StandardCharsets.US_ASCII)).contains("Hello gpgsm.");
        MimeEntity signature = MimeEntity.parse(decrypted, parts.get(1).from(), parts.get(1).to());
        byte[] der = SmimeFormat.decodeBase64(decrypted, signature.body().from(), signature.body().to());
        Processes.Result verified = gpgsm.verifyDetached(der, content);
        assertThat(verified.output()).as(verified.describe()).contains("[GNUPG:] GOODSIG").contains("TRUST_FULLY");
    }

    @Test
    void gpgsm22CannotReadAuthEnvelopedData() throws Exception {
        SmimeComponent modern = fixture.store(temp.resolve("alice-modern"), fixture.alice, fixture.bob);
        byte[] sent = Fixture.protect(modern, Protection.ENCRYPT, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        Processes.Result refused = gpgsm.tryDecrypt(base64Body(sent), BOB_PASSPHRASE);
        assertThat(refused.succeeded()).as("gpgsm 2.2 has learnt AuthEnvelopedData; revisit smime.legacy.recipients docs").isFalse();
    }

    @Test
    void gpgsmVerifiesMailslotSignatures() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        MimeEntity root = MimeEntity.parse(sent);
        List<MimeEntity.Range> parts = root.multipartParts(root.contentType().parameter("boundary"));
        byte[] content = java.util.Arrays.copyOfRange(sent, parts.get(0).from(), parts.get(0).to());
        MimeEntity signature = MimeEntity.parse(sent, parts.get(1).from(), parts.get(1).to());
        byte[] der = SmimeFormat.decodeBase64(sent, signature.body().from(), signature.body().to());
        Processes.Result verified = gpgsm.verifyDetached(der, content);
        assertThat(verified.output()).as(verified.describe()).contains("[GNUPG:] GOODSIG").contains("TRUST_FULLY");
        byte[] tampered = new String(content, StandardCharsets.US_ASCII).replace("Hello", "Hallo").getBytes(StandardCharsets.US_ASCII);
        assertThat(gpgsm.verifyDetached(der, tampered).output()).contains("[GNUPG:] BADSIG").doesNotContain("GOODSIG");
    }

    @Test
    void mailslotDecryptsWhatGpgsmEncrypts() throws Exception {
        byte[] der = gpgsm.encrypt(ENTITY.getBytes(StandardCharsets.US_ASCII), BOB.toString());
        byte[] message = (HEADERS + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        OpenedMessage opened = bobSide.open(MessageSource.of(message));
        assertThat(opened.decrypted()).isTrue();
        assertThat(Fixture.text(opened)).endsWith(ENTITY);
    }

    @Test
    void mailslotVerifiesWhatGpgsmSigns() throws Exception {
        byte[] der = gpgsm.signDetached(ENTITY.getBytes(StandardCharsets.US_ASCII), BOB.toString(), BOB_PASSPHRASE);
        String boundary = "gpgsm-boundary-1";
        String message = "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: signed by gpgsm\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\n" + ENTITY + "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\r\n--" + boundary + "--\r\n";
        SmimeComponent alicesView = fixture.store(temp.resolve("alice-view"), fixture.alice);
        OpenedMessage opened = alicesView.open(MessageSource.of(message.getBytes(StandardCharsets.US_ASCII)));
        assertThat(opened.verification().status()).as(opened.verification().detail()).isEqualTo(VerificationStatus.VALID);
        assertThat(opened.verification().signerAddresses()).containsExactly(BOB);
        assertThat(ALICE).isNotEqualTo(BOB);
    }

    private static byte[] base64Body(byte[] message) {
        MimeEntity entity = MimeEntity.parse(message);
        return SmimeFormat.decodeBase64(message, entity.body().from(), entity.body().to());
    }
}
