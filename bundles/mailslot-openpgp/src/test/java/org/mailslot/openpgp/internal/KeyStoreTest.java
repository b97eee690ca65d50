package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.openpgp.internal.OpenPgpFixture.address;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.support.keys.KeysArrived;

/** The store on disk: passphrase rule, persistence, list, find, remove, export, v6 keys. */
class KeyStoreTest {

    @TempDir
    Path etc;

    @Test
    void generatedPassphraseIsOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        OpenPgpFixture first = new OpenPgpFixture(etc);
        KeyInfo key = first.service.generate(address("alice@example.org"));
        Path file = etc.resolve("mailslot/keys/.passphrase");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file).strip()).hasSize(43);
        assertThat(Files.getPosixFilePermissions(etc.resolve("mailslot/keys/openpgp/" + key.id() + ".asc")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        OpenPgpFixture restarted = new OpenPgpFixture(etc);
        assertThat(restarted.service.list()).extracting(KeyInfo::id).containsExactly(key.id());
        assertThat(restarted.service.canSign(address("alice@example.org"))).isTrue();
    }

    @Test
    void configuredPassphraseIsUsedAndNoFileIsWritten() throws Exception {
        OpenPgpFixture configured = new OpenPgpFixture(etc, Map.of(".keys.passphrase", "a configured secret"));
        configured.service.generate(address("alice@example.org"));
        assertThat(etc.resolve("mailslot/keys/.passphrase")).doesNotExist();
        assertThat(configured.service.canSign(address("alice@example.org"))).isTrue();

        OpenPgpFixture wrong = new OpenPgpFixture(etc, Map.of(".keys.passphrase", "another secret"));
        assertThat(wrong.service.canSign(address("alice@example.org"))).isFalse();
        assertThatThrownBy(() -> wrong.service.protect(address("alice@example.org"), List.of(), Protection.SIGN,
                MessageSource.of(OpenPgpFixture.message("alice@example.org", "bob@example.org", "x\r\n"))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.NO_KEY));
    }

    @Test
    void passphraseFileWrittenByTheSmimeBundleIsShared() throws Exception {
        Files.createDirectories(etc.resolve("mailslot/keys"));
        Files.writeString(etc.resolve("mailslot/keys/.passphrase"), "written-by-smime\n");
        OpenPgpFixture mailslot = new OpenPgpFixture(etc);
        mailslot.service.generate(address("alice@example.org"));
        OpenPgpFixture configured = new OpenPgpFixture(etc, Map.of(".keys.passphrase", "written-by-smime"));
        assertThat(configured.service.canSign(address("alice@example.org"))).isTrue();
    }

    @Test
    void findRemoveAndExport() throws Exception {
        OpenPgpFixture mailslot = new OpenPgpFixture(etc);
        KeyInfo alice = mailslot.service.generate(address("alice@example.org"));
        KeyInfo bob = mailslot.service.generate(address("bob@example.org"));
        assertThat(mailslot.service.list()).extracting(KeyInfo::id).containsExactly(alice.id(), bob.id());
        assertThat(mailslot.service.find("<bob@example.org>")).extracting(KeyInfo::id).containsExactly(bob.id());
        assertThat(mailslot.service.find(alice.id().toLowerCase())).extracting(KeyInfo::id).containsExactly(alice.id());
        assertThat(mailslot.service.find("1234")).isEmpty();
        String exported = mailslot.service.exportPublic(alice.id()).orElseThrow();
        assertThat(exported).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
        assertThat(mailslot.service.recognizes(exported.getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(mailslot.service.recognizes("-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII))).isFalse();

        assertThat(mailslot.service.remove(bob.id())).isTrue();
        assertThat(mailslot.service.remove(bob.id())).isFalse();
        assertThat(etc.resolve("mailslot/keys/openpgp/" + bob.id() + ".asc")).doesNotExist();
        assertThat(new OpenPgpFixture(etc).service.list()).extracting(KeyInfo::id).containsExactly(alice.id());
    }

    @Test
    void malformedMaterialStoresNothing() throws Exception {
        OpenPgpFixture mailslot = new OpenPgpFixture(etc);
        assertThatThrownBy(() -> mailslot.service.importKeys("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"
                .getBytes(StandardCharsets.US_ASCII), null)).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.MALFORMED));
        assertThat(mailslot.service.list()).isEmpty();
    }

    @Test
    void secretKeysAreStoredUnderA32MiBSha256S2kAndUnlockedOnce() throws Exception {
        OpenPgpFixture mailslot = new OpenPgpFixture(etc.resolve("s2k"));
        KeyInfo key = mailslot.service.generate(address("s2k@example.org"));
        byte[] stored = Files.readAllBytes(etc.resolve("s2k/mailslot/keys/openpgp").resolve(key.id() + ".asc"));
        org.bouncycastle.openpgp.PGPSecretKeyRing ring = (org.bouncycastle.openpgp.PGPSecretKeyRing) KeyMaterial.read(stored).get(0);

        for (org.bouncycastle.openpgp.PGPSecretKey secret : ring) {
            assertThat(secret.getS2KUsage()).isEqualTo(org.bouncycastle.bcpg.SecretKeyPacket.USAGE_SHA1);
            assertThat(secret.getKeyEncryptionAlgorithm()).isEqualTo(org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256);
            assertThat(secret.getS2K().getHashAlgorithm()).isEqualTo(org.bouncycastle.bcpg.HashAlgorithmTags.SHA256);
            assertThat(secret.getS2K().getIterationCount()).isEqualTo(32L << 20);
        }
        PgpKeyStore store = new PgpKeyStore(etc.resolve("s2k/mailslot/keys/openpgp"),
                Files.readString(etc.resolve("s2k/mailslot/keys/.passphrase")).strip().toCharArray(),
                java.time.Clock.systemUTC(), org.slf4j.helpers.NOPLogger.NOP_LOGGER);
        StoredKey held = store.all().get(0);
        org.bouncycastle.openpgp.PGPPublicKey signing = held.signingKeys(store.now()).get(0);
        assertThat(store.privateKey(held, signing)).isSameAs(store.privateKey(held, signing));
    }

    @Test
    void binaryCertificatesImportLikeArmoredOnes() throws Exception {
        OpenPgpFixture owner = new OpenPgpFixture(etc.resolve("binary-owner"));
        OpenPgpFixture mailslot = new OpenPgpFixture(etc.resolve("binary"));
        KeyInfo key = owner.service.generate(address("binary@example.org"));
        byte[] binary = Armor.decode(owner.service.exportPublic(key.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII));
        assertThat(binary[0] & 0x80).as("a packet, not armor").isNotZero();

        assertThat(mailslot.service.recognizes(binary)).isTrue();
        KeyInfo imported = mailslot.service.importKeys(binary, null).get(0);

        assertThat(imported.id()).isEqualTo(key.id());
        assertThat(imported.secret()).isFalse();
        assertThat(imported.canEncrypt()).isTrue();
        assertThat(mailslot.service.missingEncryptionKeys(List.of(address("binary@example.org")))).isEmpty();
        assertThatThrownBy(() -> mailslot.service.importKeys(binary, null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no trust anchors");
    }

    @Test
    void version6KeysEncryptWithAeadAndSign() throws Exception {
        byte[] v6Secret = new org.bouncycastle.openpgp.api.bc.BcOpenPGPApi().generateKey(6)
                .ed25519x25519Key("<victor@example.org>").build().getEncoded();
        OpenPgpFixture victor = new OpenPgpFixture(etc.resolve("victor"));
        OpenPgpFixture alice = new OpenPgpFixture(etc.resolve("alice"));
        KeyInfo v6 = victor.service.importKeys(v6Secret, null).get(0);
        assertThat(v6.algorithm()).endsWith("(v6)");
        assertThat(v6.id()).hasSize(64);
        KeyInfo a = alice.service.generate(address("alice@example.org"));
        alice.service.importKeys(victor.service.exportPublic(v6.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII), null);
        victor.service.importKeys(alice.service.exportPublic(a.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII), null);

        MessageSource toVictor = alice.service.protect(address("alice@example.org"), List.of(address("victor@example.org")),
                Protection.SIGN_AND_ENCRYPT, MessageSource.of(OpenPgpFixture.message("alice@example.org",
                        "victor@example.org", "to a v6 key\r\n")));
        byte[] armored = MimeEntity.parse(PgpMessageCrypto.parts(MimeEntity.parse(OpenPgpFixture.bytes(toVictor))).get(1)).bodyCopy();
        Object packets = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(Armor.decode(armored)).nextObject();
        assertThat(packets).isInstanceOfSatisfying(org.bouncycastle.openpgp.PGPEncryptedDataList.class,
                list -> assertThat(list.get(0).isAEAD()).as("SEIPD v1: alice's own key, a recipient too, has no AEAD")
                        .isFalse());
        OpenedMessage opened = victor.service.open(toVictor);
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(OpenPgpFixture.text(opened.content())).endsWith("to a v6 key\r\n");

        // Only recipients that advertise SEIPD v2: AEAD.
        OpenPgpFixture keyless = new OpenPgpFixture(etc.resolve("keyless"));
        keyless.service.importKeys(victor.service.exportPublic(v6.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII), null);
        MessageSource aead = keyless.service.protect(address("carol@example.org"), List.of(address("victor@example.org")),
                Protection.ENCRYPT, MessageSource.of(OpenPgpFixture.message("carol@example.org", "victor@example.org",
                        "AEAD for v6\r\n")));
        byte[] aeadArmored = MimeEntity.parse(PgpMessageCrypto.parts(MimeEntity.parse(OpenPgpFixture.bytes(aead))).get(1)).bodyCopy();
        Object aeadPackets = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(Armor.decode(aeadArmored)).nextObject();
        assertThat(aeadPackets).isInstanceOfSatisfying(org.bouncycastle.openpgp.PGPEncryptedDataList.class,
                list -> assertThat(list.get(0).isAEAD()).as("SEIPD v2").isTrue());
        assertThat(OpenPgpFixture.text(victor.service.open(aead).content())).endsWith("AEAD for v6\r\n");

        MessageSource fromVictor = victor.service.protect(address("victor@example.org"), List.of(), Protection.SIGN,
                MessageSource.of(OpenPgpFixture.message("victor@example.org", "alice@example.org", "v6 signed\r\n")));
        assertThat(alice.service.open(fromVictor).verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void storedKeysWakeTheMailHeldForThemOnceTheyAreFound() throws Exception {
        OpenPgpFixture correspondent = new OpenPgpFixture(etc.resolve("correspondent"));
        KeyInfo bob = correspondent.service.generate(address("bob@example.org"));
        OpenPgpFixture mailslot = new OpenPgpFixture(etc.resolve("mailslot"));
        List<String> told = new ArrayList<>();
        OutboundPipeline spool = new OutboundPipeline() {
            @Override
            public List<RequiredStage> requiredFor(Envelope envelope) {
                return List.of();
            }

            @Override
            public void arrived(WaitReason reason) {
                told.add(reason + ", keys missing then: " + mailslot.service.missingEncryptionKeys(
                        List.of(address("bob@example.org"), address("carol@example.org"))));
            }
        };
        mailslot.service.keysStored = () -> KeysArrived.tell(spool);

        assertThatThrownBy(() -> mailslot.service.importKeys("no key".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(CryptoException.class);
        assertThat(told).as("nothing stored, nothing to wake").isEmpty();

        mailslot.service.importKeys(correspondent.service.exportPublic(bob.id()).orElseThrow()
                .getBytes(StandardCharsets.US_ASCII), null);
        mailslot.service.generate(address("carol@example.org"));

        assertThat(told).containsExactly(
                "CRYPTO_KEY_OR_BUNDLE_MISSING, keys missing then: [carol@example.org]",
                "CRYPTO_KEY_OR_BUNDLE_MISSING, keys missing then: []");
    }
}
