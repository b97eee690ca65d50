package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.smime.internal.Fixture.ALICE;
import static org.mailslot.smime.internal.Fixture.BOB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.OpensslCms;
import org.mailslot.testing.peers.Processes;

/** Interop with Debian's {@code openssl cms} (OpenSSL 3) in both directions. */
class OpensslInteropTest {

    private static final String HEADERS = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: interop\r\n"
            + "Message-ID: <i1@example.org>\r\n";
    private static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nInterop body line one.\r\nTwo.\r\n";

    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    private static Fixture fixture;
    private static Path caPem;
    private static Path alicePem;
    private static Path aliceKey;
    private static Path bobPem;
    private static Path bobKey;

    private OpensslCms openssl;
    private SmimeComponent aliceSide;
    private SmimeComponent bobSide;

    @BeforeAll
    static void material() throws Exception {
        fixture = Fixture.get();
        caPem = Fixture.write(shared.resolve("ca.pem"), fixture.ca.certificatePem());
        alicePem = Fixture.write(shared.resolve("alice.pem"), fixture.alice.certificatePem());
        aliceKey = Fixture.write(shared.resolve("alice.key"), fixture.alice.keyPem());
        bobPem = Fixture.write(shared.resolve("bob.pem"), fixture.bob.certificatePem());
        bobKey = Fixture.write(shared.resolve("bob.key"), fixture.bob.keyPem());
    }

    @BeforeEach
    void sides() throws Exception {
        openssl = new OpensslCms(temp.resolve("openssl"));
        aliceSide = fixture.store(temp.resolve("alice"), fixture.alice, fixture.bob);
        bobSide = fixture.store(temp.resolve("bob"), fixture.bob);
    }

    // --- Mailslot writes, OpenSSL reads

    @Test
    void opensslDecryptsAndVerifiesWhatMailslotSignsAndEncrypts() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN_AND_ENCRYPT, (HEADERS + "MIME-Version: 1.0\r\n" + ENTITY).getBytes(StandardCharsets.US_ASCII));
        byte[] signed = openssl.decrypt(sent, bobPem, bobKey);
        assertThat(new String(signed, StandardCharsets.US_ASCII)).startsWith("Content-Type: multipart/signed");
        Processes.Result verified = openssl.verify(signed, caPem);
        assertThat(verified.succeeded()).as(verified.describe()).isTrue();
        assertThat(verified.output()).contains("Verification successful");
    }

    @Test
    void opensslDecryptsMailslotEcdhForAnEcRecipient() throws Exception {
        SmimeComponent toAlice = fixture.store(temp.resolve("bob-to-alice"), fixture.bob, fixture.alice);
        byte[] sent = Fixture.bytes(toAlice.protect(BOB, List.of(ALICE), Protection.ENCRYPT,
                MessageSource.of((HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII))));
        assertThat(new String(openssl.decrypt(sent, alicePem, aliceKey), StandardCharsets.US_ASCII)).isEqualTo(ENTITY);
        // A legacy recipient: EnvelopedData, AES-256-CBC, ECDH with the SHA-1 KDF.
        SmimeComponent legacy = fixture.store(temp.resolve("bob-to-alice-legacy"),
                new TestConfig().passphrase("p").legacy("alice@example.org"), java.time.Clock.systemUTC(), fixture.bob, fixture.alice);
        byte[] cbc = Fixture.bytes(legacy.protect(BOB, List.of(ALICE), Protection.ENCRYPT,
                MessageSource.of((HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII))));
        assertThat(new String(cbc, StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data");
        assertThat(new String(openssl.decrypt(cbc, alicePem, aliceKey), StandardCharsets.US_ASCII)).isEqualTo(ENTITY);
    }

    @Test
    void opensslReadsLargeMessagesThatMailslotEncryptsAsItEncodes() throws Exception {
        // Longer than each buffer on the way (32 KiB pieces, 1000-octet BER strings, 256 base64 lines) and a multiple of none.
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 700_001; i++) {
            body.append("Line ").append(i).append(" of a message larger than any buffer.\r\n");
        }
        String entity = "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body;
        byte[] message = (HEADERS + "MIME-Version: 1.0\r\n" + entity).getBytes(StandardCharsets.US_ASCII);

        byte[] encrypted = Fixture.protect(aliceSide, Protection.ENCRYPT, message);
        assertThat(new String(openssl.decrypt(encrypted, bobPem, bobKey), StandardCharsets.US_ASCII)).isEqualTo(entity);

        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN_AND_ENCRYPT, message);
        byte[] signed = openssl.decrypt(sent, bobPem, bobKey);
        assertThat(new String(signed, StandardCharsets.US_ASCII)).contains("\r\n" + entity + "\r\n--");
        Processes.Result verified = openssl.verify(signed, caPem);
        assertThat(verified.succeeded()).as(verified.describe()).isTrue();

        SmimeComponent legacy = fixture.store(temp.resolve("alice-legacy"),
                new TestConfig().passphrase("p").legacy("bob@example.net"), java.time.Clock.systemUTC(), fixture.alice, fixture.bob);
        byte[] cbc = Fixture.protect(legacy, Protection.SIGN_AND_ENCRYPT, message);
        assertThat(new String(cbc, StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data");
        Processes.Result legacyVerified = openssl.verify(openssl.decrypt(cbc, bobPem, bobKey), caPem);
        assertThat(legacyVerified.succeeded()).as(legacyVerified.describe()).isTrue();
    }

    @Test
    void opensslVerifiesMailslotDetachedSignature() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        Processes.Result verified = openssl.verify(sent, caPem);
        assertThat(verified.succeeded()).as(verified.describe()).isTrue();
    }

    @Test
    void opensslRefusesAMailslotSignatureAfterTampering() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, (HEADERS + ENTITY).getBytes(StandardCharsets.US_ASCII));
        byte[] tampered = new String(sent, StandardCharsets.US_ASCII).replace("line one", "line 0ne").getBytes(StandardCharsets.US_ASCII);
        assertThat(openssl.verify(tampered, caPem).succeeded()).isFalse();
    }

    // --- OpenSSL writes, Mailslot reads

    @Test
    void mailslotDecryptsOpensslAuthEnvelopedData() throws Exception {
        byte[] smime = openssl.encrypt(ENTITY.getBytes(StandardCharsets.US_ASCII), "-aes-256-gcm", List.of(bobPem));
        assertThat(new String(smime, StandardCharsets.US_ASCII)).contains("smime-type=authEnveloped-data");
        OpenedMessage opened = bobSide.open(MessageSource.of(withHeaders(smime)));
        assertThat(opened.decrypted()).isTrue();
        assertThat(Fixture.text(opened)).startsWith(HEADERS).endsWith(ENTITY);
    }

    @Test
    void mailslotDecryptsOpensslCbcWithOaepAndEcdh() throws Exception {
        byte[] oaep = openssl.encrypt(ENTITY.getBytes(StandardCharsets.US_ASCII), "-aes-256-cbc", List.of(bobPem),
                "rsa_padding_mode:oaep", "rsa_oaep_md:sha256");
        assertThat(Fixture.text(bobSide.open(MessageSource.of(withHeaders(oaep))))).endsWith(ENTITY);
        byte[] ecdh = openssl.encrypt(ENTITY.getBytes(StandardCharsets.US_ASCII), "-aes-256-gcm", List.of(alicePem));
        assertThat(Fixture.text(aliceSide.open(MessageSource.of(withHeaders(ecdh))))).endsWith(ENTITY);
    }

    @Test
    void mailslotRefusesTamperedOpensslGcmWithoutPlaintext() throws Exception {
        byte[] smime = openssl.encrypt(("Content-Type: text/plain\r\n\r\n" + "secret ".repeat(500)).getBytes(StandardCharsets.US_ASCII),
                "-aes-256-gcm", List.of(bobPem));
        byte[] tampered = Tamper.flipCiphertextByte(withHeaders(smime));
        assertThatThrownBy(() -> bobSide.open(MessageSource.of(tampered)))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.INTEGRITY_FAILURE);
    }

    @Test
    void mailslotVerifiesOpensslDetachedAndOpaqueSignatures() throws Exception {
        for (boolean opaque : new boolean[] {false, true}) {
            byte[] signed = openssl.sign(ENTITY.getBytes(StandardCharsets.US_ASCII), alicePem, aliceKey, opaque,
                    "-from", "alice@example.org", "-to", "bob@example.net", "-subject", "signed by openssl");
            OpenedMessage opened = bobSide.open(MessageSource.of(signed));
            assertThat(opened.verification().status()).as(opened.verification().detail()).isEqualTo(VerificationStatus.VALID);
            assertThat(Fixture.text(opened)).contains("Subject: signed by openssl").endsWith("Interop body line one.\r\nTwo.\r\n");
        }
    }

    @Test
    void mailslotFlagsAnOpensslSignatureByAnotherSignerAndTampering() throws Exception {
        byte[] wrongSigner = openssl.sign(ENTITY.getBytes(StandardCharsets.US_ASCII), alicePem, aliceKey, false,
                "-from", "ceo@example.org", "-subject", "urgent");
        assertThat(bobSide.open(MessageSource.of(wrongSigner)).verification().status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
        byte[] good = openssl.sign(ENTITY.getBytes(StandardCharsets.US_ASCII), alicePem, aliceKey, false, "-from", "alice@example.org");
        byte[] tampered = new String(good, StandardCharsets.US_ASCII).replace("Two.", "Six.").getBytes(StandardCharsets.US_ASCII);
        assertThat(bobSide.open(MessageSource.of(tampered)).verification().status()).isEqualTo(VerificationStatus.INVALID);
    }

    @Test
    void mailslotReportsAnOpensslSignerFromAnUntrustedCaAsUnknown() throws Exception {
        TestPki otherCa = new TestPki(fixture.ca.certificate.getSubjectX500Principal().getName().replace("CN=", "").split(",")[0]);
        TestPki.Issued impostor = otherCa.issue("alice@example.org", TestPki.Key.EC);
        Path cert = Fixture.write(temp.resolve("impostor.pem"), impostor.certificatePem());
        Path key = Fixture.write(temp.resolve("impostor.key"), impostor.keyPem());
        byte[] signed = openssl.sign(ENTITY.getBytes(StandardCharsets.US_ASCII), cert, key, false, "-from", "alice@example.org");
        assertThat(bobSide.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
    }

    private static byte[] withHeaders(byte[] smime) {
        byte[] headers = HEADERS.getBytes(StandardCharsets.US_ASCII);
        byte[] result = new byte[headers.length + smime.length];
        System.arraycopy(headers, 0, result, 0, headers.length);
        System.arraycopy(smime, 0, result, headers.length, smime.length);
        return result;
    }
}
