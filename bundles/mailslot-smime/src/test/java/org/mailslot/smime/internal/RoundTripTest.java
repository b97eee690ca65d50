package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.smime.internal.Fixture.ALICE;
import static org.mailslot.smime.internal.Fixture.BOB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MessageSource;

class RoundTripTest {

    @TempDir
    Path temp;

    private Fixture fixture;
    private SmimeComponent aliceSide;
    private SmimeComponent bobSide;
    private final String body = "Grüße — the numbers are in.\r\nLine two.\r\n";

    @BeforeEach
    void stores() throws Exception {
        fixture = Fixture.get();
        aliceSide = fixture.store(temp.resolve("alice"), fixture.alice, fixture.bob);
        bobSide = fixture.store(temp.resolve("bob"), fixture.bob);
    }

    @Test
    void signAndEncryptOpensWithTheOuterHeadersAndAValidSignature() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN_AND_ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), body));
        String wire = new String(sent, StandardCharsets.US_ASCII);
        assertThat(wire).contains("Subject: quarterly numbers\r\n", "Message-ID: <m1@example.org>\r\n",
                "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data").doesNotContain("numbers are in");
        assertThat(bobSide.isProtected(MessageSource.of(sent))).isTrue();

        OpenedMessage opened = bobSide.open(MessageSource.of(sent));
        assertThat(opened.decrypted()).isTrue();
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(opened.verification().signerAddresses()).containsExactly(ALICE);
        assertThat(opened.verification().signedAt()).isPresent();
        String text = Fixture.text(opened);
        assertThat(text).startsWith("From: Alice <alice@example.org>\r\n").contains("Subject: quarterly numbers\r\n");
        String decoded = new String(Base64.getMimeDecoder().decode(text.substring(text.lastIndexOf("\r\n\r\n") + 4)),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(body);
    }

    @Test
    void signOnlyIsDetachedMultipartSignedAndVerifies() throws Exception {
        byte[] plain = Fixture.message(ALICE.toString(), BOB.toString(), "plain ascii body\r\n");
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, plain);
        String wire = new String(sent, StandardCharsets.US_ASCII);
        assertThat(wire).contains("multipart/signed; protocol=\"application/pkcs7-signature\"", "micalg=sha-256",
                "plain ascii body");
        OpenedMessage opened = bobSide.open(MessageSource.of(sent));
        assertThat(opened.decrypted()).isFalse();
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(Fixture.text(opened)).endsWith("\r\n\r\nplain ascii body\r\n");
    }

    @Test
    void encryptOnlyToAnRsaRecipientAndAnEcSender() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), "hi\r\n"));
        OpenedMessage atBob = bobSide.open(MessageSource.of(sent));
        assertThat(atBob.verification().status()).isEqualTo(VerificationStatus.NOT_SIGNED);
        assertThat(Fixture.text(atBob)).endsWith("\r\n\r\nhi\r\n");
        // The sender's own certificate is a recipient too: Alice reads her sent copy (ECDH).
        assertThat(Fixture.text(aliceSide.open(MessageSource.of(sent)))).endsWith("\r\n\r\nhi\r\n");
    }

    @Test
    void tamperedSignedContentIsInvalid() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "pay 100 EUR\r\n"));
        byte[] tampered = new String(sent, StandardCharsets.US_ASCII).replace("pay 100 EUR", "pay 900 EUR").getBytes(StandardCharsets.US_ASCII);
        assertThat(bobSide.open(MessageSource.of(tampered)).verification().status()).isEqualTo(VerificationStatus.INVALID);
    }

    @Test
    void tamperedCiphertextFailsIntegrityWithoutPlaintext() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), "x".repeat(5000) + "\r\n"));
        byte[] tampered = Tamper.flipCiphertextByte(sent);
        assertThatThrownBy(() -> bobSide.open(MessageSource.of(tampered)))
                .isInstanceOf(CryptoException.class)
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.INTEGRITY_FAILURE);
    }

    @Test
    void aChangedFromIsASignerMismatch() throws Exception {
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "hello\r\n"));
        byte[] spoofed = new String(sent, StandardCharsets.US_ASCII).replace("From: Alice <alice@example.org>", "From: CEO <ceo@example.org>")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(bobSide.open(MessageSource.of(spoofed)).verification().status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
    }

    @Test
    void aSignerWithoutPathToAnAnchorIsUnknown() throws Exception {
        SmimeComponent stranger = new SmimeComponent(new TestConfig().passphrase("p"), temp.resolve("stranger").toString(),
                Clock.systemUTC(), org.slf4j.LoggerFactory.getLogger("test"));
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "hello\r\n"));
        assertThat(stranger.open(MessageSource.of(sent)).verification().status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
    }

    @Test
    void aRevokedSignerIsRevoked() throws Exception {
        Path crl = Fixture.write(temp.resolve("ca.crl"), Certificates.pem(fixture.ca.crl(fixture.alice.certificate())));
        SmimeComponent checking = fixture.store(temp.resolve("bob-crl"), new TestConfig().passphrase("p").crls(crl.toString()),
                Clock.systemUTC(), fixture.bob);
        byte[] sent = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "hello\r\n"));
        assertThat(checking.open(MessageSource.of(sent)).verification().status()).isEqualTo(VerificationStatus.REVOKED);
        assertThat(checking.find(ALICE.toString())).isEmpty();
        // An unrelated CRL of the same CA changes nothing.
        Path other = Fixture.write(temp.resolve("other.crl"), Certificates.pem(fixture.ca.crl(fixture.bob.certificate())));
        SmimeComponent notRevoked = fixture.store(temp.resolve("bob-crl2"), new TestConfig().passphrase("p").crls(other.toString()),
                Clock.systemUTC(), fixture.bob);
        assertThat(notRevoked.open(MessageSource.of(sent)).verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void aSignatureByAnExpiredCertificateIsExpired() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued old = fixture.ca.issue("old@example.org", TestPki.Key.EC, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        Clock then = Clock.fixed(now.minus(Duration.ofDays(5)), ZoneOffset.UTC);
        SmimeComponent past = fixture.store(temp.resolve("past"), new TestConfig().passphrase("p"), then, old);
        byte[] sent = Fixture.bytes(past.protect(org.mailslot.api.mail.MailAddress.parse("old@example.org"),
                List.of(BOB), Protection.SIGN, MessageSource.of(Fixture.message("old@example.org", BOB.toString(), "hi\r\n"))));
        var verification = bobSide.open(MessageSource.of(sent)).verification();
        assertThat(verification.status()).as(verification.detail()).isEqualTo(VerificationStatus.EXPIRED);
    }

    @Test
    void legacyRecipientsGetEnvelopedDataWithCbc() throws Exception {
        SmimeComponent legacyAlice = fixture.store(temp.resolve("alice-legacy"),
                new TestConfig().passphrase("p").legacy("example.net"), Clock.systemUTC(), fixture.alice, fixture.bob);
        byte[] sent = Fixture.protect(legacyAlice, Protection.SIGN_AND_ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), "old client\r\n"));
        assertThat(new String(sent, StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data");
        OpenedMessage opened = bobSide.open(MessageSource.of(sent));
        assertThat(opened.decrypted()).isTrue();
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void onlyTheRootIsOpenedNeverAnEmbeddedPart() throws Exception {
        byte[] encrypted = Fixture.protect(aliceSide, Protection.ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), "secret\r\n"));
        String inner = new String(encrypted, StandardCharsets.US_ASCII);
        inner = inner.substring(inner.indexOf("Content-Type: application/pkcs7-mime"));
        byte[] wrapped = ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nattacker text\r\n"
                + "--b1\r\n" + inner + "--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(bobSide.isProtected(MessageSource.of(wrapped))).isFalse();
        OpenedMessage opened = bobSide.open(MessageSource.of(wrapped));
        assertThat(opened.decrypted()).isFalse();
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.NOT_SIGNED);
        assertThat(Fixture.text(opened)).doesNotContain("secret");
    }

    @Test
    void aMessageForSomeoneElseIsNotForUs() throws Exception {
        SmimeComponent carol = fixture.store(temp.resolve("carol"), fixture.ca.issue("carol@example.com", TestPki.Key.EC));
        byte[] sent = Fixture.protect(aliceSide, Protection.ENCRYPT, Fixture.message(ALICE.toString(), BOB.toString(), "secret\r\n"));
        assertThatThrownBy(() -> carol.open(MessageSource.of(sent)))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.NOT_FOR_US);
    }

    @Test
    void missingCertificatesAreReportedAndRefused() throws Exception {
        var carol = org.mailslot.api.mail.MailAddress.parse("carol@example.com");
        assertThat(aliceSide.missingEncryptionKeys(List.of(BOB, carol))).containsExactly(carol);
        assertThat(aliceSide.canSign(ALICE)).isTrue();
        assertThat(aliceSide.canSign(BOB)).isFalse();
        assertThatThrownBy(() -> aliceSide.protect(ALICE, List.of(carol), Protection.ENCRYPT,
                MessageSource.of(Fixture.message(ALICE.toString(), "carol@example.com", "x\r\n"))))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.NO_KEY);
    }

    @Test
    void anUnprotectedMessageComesBackUnchanged() throws Exception {
        byte[] plain = Fixture.message(ALICE.toString(), BOB.toString(), "hello\r\n");
        assertThat(bobSide.isProtected(MessageSource.of(plain))).isFalse();
        OpenedMessage opened = bobSide.open(MessageSource.of(plain));
        assertThat(Fixture.bytes(opened.content())).isEqualTo(plain);
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.NOT_SIGNED);
    }
}
