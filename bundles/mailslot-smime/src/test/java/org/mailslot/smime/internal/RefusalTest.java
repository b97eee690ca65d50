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
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;

/** What S/MIME refuses or reports as not trustworthy: bad recipients, doubtful authors, CRLs, formats. */
class RefusalTest {

    @TempDir
    Path temp;

    private Fixture fixture;
    private SmimeComponent aliceSide;
    private SmimeComponent bobSide;

    @BeforeEach
    void stores() throws Exception {
        fixture = Fixture.get();
        aliceSide = fixture.store(temp.resolve("alice"), fixture.alice, fixture.bob);
        bobSide = fixture.store(temp.resolve("bob"), fixture.bob);
    }

    private static CryptoException.Reason refusal(SmimeComponent side, byte[] message) {
        try {
            side.open(MessageSource.of(message));
        } catch (CryptoException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("opened");
    }

    @Test
    void anExpiredRecipientCertificateIsNeverEncryptedTo() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired = fixture.ca.issue("gone@example.org", TestPki.Key.EC, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        MailAddress gone = MailAddress.parse("gone@example.org");
        KeyInfo info = aliceSide.importKeys(expired.certificatePem().getBytes(StandardCharsets.US_ASCII), null).get(0);

        assertThat(info.canEncrypt()).isFalse();
        assertThat(aliceSide.missingEncryptionKeys(List.of(gone, BOB))).containsExactly(gone);
        assertThatThrownBy(() -> aliceSide.protect(ALICE, List.of(gone), Protection.ENCRYPT,
                MessageSource.of(Fixture.message(ALICE.toString(), gone.toString(), "secret\r\n"))))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.NO_KEY);
    }

    @Test
    void aRecipientCertificateRevokedByAConfiguredCrlIsNeverEncryptedTo() throws Exception {
        Path crl = Fixture.write(temp.resolve("ca.crl"), Certificates.pem(fixture.ca.crl(fixture.bob.certificate())));
        SmimeComponent checking = fixture.store(temp.resolve("alice-crl"), new TestConfig().passphrase("p").crls(crl.toString()),
                Clock.systemUTC(), fixture.alice, fixture.bob);

        KeyInfo bob = checking.find(Certificates.id(fixture.bob.certificate())).get(0);
        assertThat(bob.revoked()).isTrue();
        assertThat(bob.canEncrypt()).isFalse();
        assertThat(checking.missingEncryptionKeys(List.of(BOB))).containsExactly(BOB);
        assertThatThrownBy(() -> checking.protect(ALICE, List.of(BOB), Protection.SIGN_AND_ENCRYPT,
                MessageSource.of(Fixture.message(ALICE.toString(), BOB.toString(), "secret\r\n"))))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.NO_KEY);
    }

    @Test
    void aStaleCrlLeavesASignatureUnverifiableButStillLetsMailBeEncrypted() throws Exception {
        Instant now = Instant.now();
        Path stale = Fixture.write(temp.resolve("stale.crl"), Certificates.pem(
                fixture.ca.crl(now.minus(Duration.ofDays(14)), now.minus(Duration.ofDays(7)))));
        SmimeComponent checking = fixture.store(temp.resolve("bob-stale"), new TestConfig().passphrase("p").crls(stale.toString()),
                Clock.systemUTC(), fixture.bob, fixture.alice);
        byte[] signed = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "hi\r\n"));

        Verification verification = checking.open(MessageSource.of(signed)).verification();

        assertThat(verification.status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
        assertThat(verification.detail()).contains("cannot be checked").contains("past its next update");
        assertThat(checking.missingEncryptionKeys(List.of(ALICE))).isEmpty();
        // A stale CRL that lists the signer still proves the revocation.
        Path staleListing = Fixture.write(temp.resolve("stale-listing.crl"), Certificates.pem(
                fixture.ca.crl(now.minus(Duration.ofDays(14)), now.minus(Duration.ofDays(7)), fixture.alice.certificate())));
        SmimeComponent revoking = fixture.store(temp.resolve("bob-stale2"),
                new TestConfig().passphrase("p").crls(staleListing.toString()), Clock.systemUTC(), fixture.bob);
        assertThat(revoking.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.REVOKED);
    }

    @Test
    void aFromFieldWithMoreThanOneMailboxMatchesNoSignature() throws Exception {
        byte[] signed = Fixture.protect(aliceSide, Protection.SIGN, Fixture.message(ALICE.toString(), BOB.toString(), "hi\r\n"));
        String wire = new String(signed, StandardCharsets.US_ASCII);

        Verification listed = bobSide.open(MessageSource.of(wire.replace("From: Alice <alice@example.org>",
                "From: Mallory <mallory@evil.example>, Alice <alice@example.org>").getBytes(StandardCharsets.US_ASCII)))
                .verification();
        Verification twice = bobSide.open(MessageSource.of(wire.replace("From: Alice <alice@example.org>\r\n",
                "From: Alice <alice@example.org>\r\nFrom: Mallory <mallory@evil.example>\r\n").getBytes(StandardCharsets.US_ASCII)))
                .verification();
        Verification control = bobSide.open(MessageSource.of(signed)).verification();

        assertThat(listed.status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
        assertThat(listed.detail()).contains("the From field holds 2 mailboxes");
        assertThat(twice.status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
        assertThat(twice.detail()).contains("2 From fields");
        assertThat(control.status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void onlyAuthEnvelopedDataCountsAsIntegrityChecked() throws Exception {
        SmimeComponent legacyAlice = fixture.store(temp.resolve("alice-legacy"),
                new TestConfig().passphrase("p").legacy("example.net"), Clock.systemUTC(), fixture.alice, fixture.bob);
        byte[] plain = Fixture.message(ALICE.toString(), BOB.toString(), "hi\r\n");

        OpenedMessage gcm = bobSide.open(MessageSource.of(Fixture.protect(aliceSide, Protection.ENCRYPT, plain)));
        OpenedMessage cbc = bobSide.open(MessageSource.of(Fixture.protect(legacyAlice, Protection.ENCRYPT, plain)));
        OpenedMessage signedCbc = bobSide.open(MessageSource.of(Fixture.protect(legacyAlice, Protection.SIGN_AND_ENCRYPT, plain)));
        OpenedMessage signedOnly = bobSide.open(MessageSource.of(Fixture.protect(aliceSide, Protection.SIGN, plain)));

        assertThat(gcm.decrypted()).isTrue();
        assertThat(gcm.integrityChecked()).isTrue();
        assertThat(cbc.decrypted()).isTrue();
        assertThat(cbc.integrityChecked()).isFalse();
        assertThat(signedCbc.integrityChecked()).isFalse();
        assertThat(signedCbc.verification().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(signedOnly.integrityChecked()).isFalse();
    }

    @Test
    void compressedDataIsRefusedAtTheRootAndInsideEncryption() throws Exception {
        byte[] compressed = new CMSCompressedDataGenerator().generate(new CMSProcessableByteArray(
                "Content-Type: text/plain\r\n\r\nsqueezed\r\n".getBytes(StandardCharsets.US_ASCII)), new ZlibCompressor()).getEncoded();
        String entity = "Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(compressed) + "\r\n";
        byte[] atRoot = ("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nMIME-Version: 1.0\r\n" + entity)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] inside = Fixture.protect(aliceSide, Protection.ENCRYPT, atRoot);

        assertThat(refusal(bobSide, atRoot)).isEqualTo(CryptoException.Reason.MALFORMED);
        assertThat(refusal(bobSide, inside)).isEqualTo(CryptoException.Reason.MALFORMED);
        assertThatThrownBy(() -> bobSide.open(MessageSource.of(inside))).hasMessageContaining("compressed-data is not supported");
    }

    @Test
    void integrityFailuresAreToldByExceptionType() {
        assertThat(MessageOpener.isIntegrityFailure(new org.bouncycastle.cms.CMSException("wrapped",
                new javax.crypto.AEADBadTagException("Tag mismatch")))).isTrue();
        assertThat(MessageOpener.isIntegrityFailure(new java.io.IOException(new org.bouncycastle.crypto.InvalidCipherTextException(
                "whatever the text says")))).isTrue();
        assertThat(MessageOpener.isIntegrityFailure(new IllegalStateException("mac check in GCM failed"))).isFalse();
    }
}
