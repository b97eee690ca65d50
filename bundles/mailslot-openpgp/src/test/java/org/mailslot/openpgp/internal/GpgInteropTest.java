package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.openpgp.internal.OpenPgpFixture.address;
import static org.mailslot.openpgp.internal.OpenPgpFixture.message;
import static org.mailslot.openpgp.internal.OpenPgpFixture.pgpMimeEncrypted;
import static org.mailslot.openpgp.internal.OpenPgpFixture.pgpMimeSigned;
import static org.mailslot.openpgp.internal.OpenPgpFixture.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.testing.peers.Gpg;
import org.mailslot.testing.peers.ToolRun;

/** Interop with GnuPG in both directions, and refusals of what GnuPG (or a forger) can produce. */
class GpgInteropTest {

    @TempDir
    static Path temp;

    static Gpg gpg;
    static OpenPgpFixture mailslot;
    static String aliceId;
    static String bobFingerprint;

    @BeforeAll
    static void setUp() throws Exception {
        gpg = Gpg.inHome(temp.resolve("gnupg"));
        mailslot = new OpenPgpFixture(temp.resolve("etc"));
        KeyInfo alice = mailslot.service.generate(address("alice@example.org"));
        aliceId = alice.id();
        bobFingerprint = gpg.generateKey("<bob@example.org>", "1y");
        gpg.importKeys(mailslot.service.exportPublic(aliceId).orElseThrow().getBytes(StandardCharsets.US_ASCII));
        mailslot.service.importKeys(gpg.exportPublic(bobFingerprint), null);
    }

    @AfterAll
    static void stopAgent() {
        if (gpg != null) {
            gpg.close();
        }
    }

    private static byte[] part(byte[] message, int index) throws CryptoException {
        return PgpMessageCrypto.parts(MimeEntity.parse(message)).get(index);
    }

    private static byte[] body(byte[] part) throws CryptoException {
        return MimeEntity.parse(part).bodyCopy();
    }

    @Test
    void gpgDecryptsAndVerifiesWhatMailslotSignsAndEncrypts() throws Exception {
        byte[] original = message("alice@example.org", "bob@example.org", "For GnuPG's eyes.\r\n");
        byte[] sent = OpenPgpFixture.bytes(mailslot.service.protect(address("alice@example.org"),
                List.of(address("bob@example.org")), Protection.SIGN_AND_ENCRYPT, MessageSource.of(original)));
        ToolRun decrypted = gpg.decrypt(body(part(sent, 1)));
        assertThat(decrypted.succeeded()).as(decrypted.describe()).isTrue();
        assertThat(decrypted.stdoutText()).startsWith("Content-Type: text/plain; charset=utf-8\r\n")
                .endsWith("\r\n\r\nFor GnuPG's eyes.\r\n");
        // SEIPD v1 (MDC, "2") with AES-256 ("9"): GnuPG 2.2's key advertises no AEAD.
        assertThat(decrypted.stderr()).contains("[GNUPG:] DECRYPTION_INFO 2 9").contains("[GNUPG:] DECRYPTION_OKAY")
                .contains("[GNUPG:] GOODMDC")
                .contains("[GNUPG:] GOODSIG").contains(aliceId);
    }

    @Test
    void gpgVerifiesWhatMailslotSigns() throws Exception {
        byte[] sent = OpenPgpFixture.bytes(mailslot.service.protect(address("alice@example.org"), List.of(),
                Protection.SIGN, MessageSource.of(message("alice@example.org", "bob@example.org", "Signed.\r\n"))));
        ToolRun verified = gpg.verifyDetached(body(part(sent, 1)), part(sent, 0));
        assertThat(verified.succeeded()).as(verified.describe()).isTrue();
        assertThat(verified.stderr()).contains("[GNUPG:] GOODSIG").contains("[GNUPG:] VALIDSIG");
    }

    @Test
    void mailslotOpensWhatGpgSignsAndEncrypts() throws Exception {
        byte[] entity = "Content-Type: text/plain; charset=us-ascii\r\n\r\nFrom GnuPG with love.\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] armored = gpg.encrypt(entity, bobFingerprint, aliceId);
        OpenedMessage opened = mailslot.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", armored)));
        assertThat(opened.decrypted()).isTrue();
        assertThat(opened.verification().status()).as(opened.verification().detail()).isEqualTo(VerificationStatus.VALID);
        assertThat(opened.verification().signerId()).isEqualTo(bobFingerprint);
        assertThat(text(opened.content())).contains("Subject: from a tool").endsWith("\r\n\r\nFrom GnuPG with love.\r\n");
    }

    @Test
    void mailslotVerifiesGpgsDetachedSignatureAndSeesAWrongSigner() throws Exception {
        byte[] entity = "Content-Type: text/plain\r\n\r\nSigned by GnuPG.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = gpg.signDetached(entity, bobFingerprint);
        OpenedMessage good = mailslot.service.open(MessageSource.of(pgpMimeSigned("bob@example.org", entity, signature)));
        assertThat(good.verification().status()).as(good.verification().detail()).isEqualTo(VerificationStatus.VALID);
        OpenedMessage forged = mailslot.service.open(MessageSource.of(pgpMimeSigned("alice@example.org", entity, signature)));
        assertThat(forged.verification().status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
    }

    @Test
    void rsaKeysWorkBothWays() throws Exception {
        gpg.run(null, "--quick-gen-key", "<rita@example.org>", "rsa3072", "sign", "1y").orThrow();
        String rita = gpg.fingerprint("<rita@example.org>");
        gpg.run(null, "--quick-add-key", rita, "rsa3072", "encr", "1y").orThrow();
        mailslot.service.importKeys(gpg.exportPublic(rita), null);
        assertThat(mailslot.service.find(rita).get(0).algorithm()).isEqualTo("RSA-3072");

        byte[] sent = OpenPgpFixture.bytes(mailslot.service.protect(address("alice@example.org"),
                List.of(address("rita@example.org")), Protection.SIGN_AND_ENCRYPT,
                MessageSource.of(message("alice@example.org", "rita@example.org", "To an RSA key.\r\n"))));
        ToolRun decrypted = gpg.decrypt(body(part(sent, 1)));
        assertThat(decrypted.succeeded()).as(decrypted.describe()).isTrue();
        assertThat(decrypted.stdoutText()).endsWith("To an RSA key.\r\n");

        byte[] entity = "Content-Type: text/plain\r\n\r\nSigned with RSA.\r\n".getBytes(StandardCharsets.US_ASCII);
        OpenedMessage opened = mailslot.service.open(MessageSource.of(pgpMimeEncrypted("rita@example.org",
                "alice@example.org", gpg.encrypt(entity, rita, aliceId))));
        assertThat(opened.verification().status()).as(opened.verification().detail()).isEqualTo(VerificationStatus.VALID);
        assertThat(text(opened.content())).endsWith("Signed with RSA.\r\n");
    }

    @Test
    void modifiedCiphertextIsRefusedWithoutPlaintext() throws Exception {
        byte[] entity = "Content-Type: text/plain\r\n\r\nDo not change me.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] binary = dearmor(gpg.encrypt(entity, null, aliceId));
        binary[binary.length - 30] ^= 0x01;
        assertThatThrownBy(() -> mailslot.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", armor(binary))))).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INTEGRITY_FAILURE));
    }

    @Test
    void compressionBombFromGpgIsRefused() throws Exception {
        OpenPgpFixture small = new OpenPgpFixture(temp.resolve("etc"), Map.of("openpgp.max.plaintext.bytes", 1L << 20));
        byte[] zeros = new byte[8 << 20];
        ToolRun bomb = gpg.run(zeros, "--armor", "--compress-algo", "zlib", "-z", "9", "--encrypt", "--recipient", aliceId)
                .orThrow();
        assertThat(bomb.stdout().length).isLessThan(100_000);
        assertThatThrownBy(() -> small.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", bomb.stdout())))).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.LIMIT_EXCEEDED));
    }

    @Test
    void expiredKeyIsNotEncryptedToAndItsSignaturesAreExpired() throws Exception {
        OpenPgpFixture later = new OpenPgpFixture(temp.resolve("etc-expiry"));
        String carol = gpg.generateKey("<carol@example.org>", "1d");
        later.service.importKeys(gpg.exportPublic(carol), null);
        byte[] entity = "Content-Type: text/plain\r\n\r\nSigned before expiry.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = pgpMimeSigned("carol@example.org", entity, gpg.signDetached(entity, carol));
        assertThat(later.service.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.VALID);

        later.clock.advance(Duration.ofDays(2));
        assertThat(later.service.missingEncryptionKeys(List.of(address("carol@example.org"))))
                .containsExactly(address("carol@example.org"));
        assertThat(later.service.find(carol).get(0).canEncrypt()).isFalse();
        later.service.generate(address("alice@example.org"));
        assertThatThrownBy(() -> later.service.protect(address("alice@example.org"), List.of(address("carol@example.org")),
                Protection.ENCRYPT, MessageSource.of(message("alice@example.org", "carol@example.org", "x\r\n"))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.NO_KEY));
        assertThat(later.service.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.EXPIRED);
    }

    @Test
    void revokedKeyIsNotEncryptedToAndItsSignaturesAreRevoked() throws Exception {
        OpenPgpFixture fresh = new OpenPgpFixture(temp.resolve("etc-revocation"));
        fresh.service.generate(address("alice@example.org"));
        String dave = gpg.generateKey("<dave@example.org>", "1y");
        byte[] entity = "Content-Type: text/plain\r\n\r\nSigned, then revoked.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = pgpMimeSigned("dave@example.org", entity, gpg.signDetached(entity, dave));
        fresh.service.importKeys(gpg.exportPublic(dave), null);
        assertThat(fresh.service.missingEncryptionKeys(List.of(address("dave@example.org")))).isEmpty();

        gpg.revoke(dave);
        fresh.service.importKeys(gpg.exportPublic(dave), null);
        assertThat(fresh.service.find(dave).get(0).revoked()).isTrue();
        assertThatThrownBy(() -> fresh.service.protect(address("alice@example.org"), List.of(address("dave@example.org")),
                Protection.ENCRYPT, MessageSource.of(message("alice@example.org", "dave@example.org", "x\r\n"))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.NO_KEY));
        assertThat(fresh.service.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.REVOKED);
    }

    @Test
    void secretKeyFromGpgIsImportedAndReprotected() throws Exception {
        OpenPgpFixture other = new OpenPgpFixture(temp.resolve("etc-import"));
        gpg.run(null, "--passphrase", "old-secret", "--quick-gen-key", "<erin@example.org>", "ed25519", "sign", "1y")
                .orThrow();
        String erin = gpg.fingerprint("<erin@example.org>");
        byte[] secret = gpg.run(null, "--passphrase", "old-secret", "--armor", "--export-secret-keys", erin).orThrow().stdout();

        assertThatThrownBy(() -> other.service.importKeys(secret, "wrong".toCharArray()))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.LOCKED));
        assertThat(other.service.list()).isEmpty();

        List<KeyInfo> imported = other.service.importKeys(secret, "old-secret".toCharArray());
        assertThat(imported).singleElement().satisfies(key -> {
            assertThat(key.id()).isEqualTo(erin);
            assertThat(key.secret()).isTrue();
            assertThat(key.canSign()).isTrue();
        });
        byte[] stored = java.nio.file.Files.readAllBytes(temp.resolve("etc-import/mailslot/keys/openpgp/" + erin + ".asc"));
        assertThat(new String(stored, StandardCharsets.US_ASCII)).contains("BEGIN PGP PRIVATE KEY BLOCK");
        // Re-protected: the old password no longer opens the stored key ...
        assertThatThrownBy(() -> new OpenPgpFixture(temp.resolve("elsewhere")).service.importKeys(stored,
                "old-secret".toCharArray())).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.LOCKED));
        // ... the store's passphrase does: Mailslot signs as erin, and GnuPG accepts the signature.
        byte[] sent = OpenPgpFixture.bytes(other.service.protect(address("erin@example.org"), List.of(), Protection.SIGN,
                MessageSource.of(message("erin@example.org", "bob@example.org", "hi\r\n"))));
        assertThat(gpg.verifyDetached(body(part(sent, 1)), part(sent, 0)).stderr()).contains("[GNUPG:] GOODSIG");
    }

    static byte[] dearmor(byte[] armored) throws Exception {
        try (ArmoredInputStream in = new ArmoredInputStream(new java.io.ByteArrayInputStream(armored))) {
            return in.readAllBytes();
        }
    }

    static byte[] armor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            armor.write(binary);
        }
        return out.toByteArray();
    }
}
