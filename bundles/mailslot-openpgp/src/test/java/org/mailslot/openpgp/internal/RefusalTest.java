package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.openpgp.internal.OpenPgpFixture.address;
import static org.mailslot.openpgp.internal.OpenPgpFixture.pgpMimeEncrypted;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;

/** Inputs no honest tool produces today, crafted with Bouncy Castle: SED data, nested compression. */
class RefusalTest {

    @TempDir
    static Path etc;

    static OpenPgpFixture mailslot;
    static PGPPublicKey encryptionKey;

    @BeforeAll
    static void key() throws Exception {
        mailslot = new OpenPgpFixture(etc, Map.of("openpgp.max.plaintext.bytes", 1L << 20));
        KeyInfo alice = mailslot.service.generate(address("alice@example.org"));
        PGPPublicKeyRing ring = (PGPPublicKeyRing) KeyMaterial.read(
                mailslot.service.exportPublic(alice.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII)).get(0);
        for (PGPPublicKey key : ring) {
            if (key.isEncryptionKey()) {
                encryptionKey = key;
            }
        }
    }

    private static CryptoException.Reason refusal(byte[] armored) {
        try {
            mailslot.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org", "alice@example.org", armored)));
        } catch (CryptoException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("opened");
    }

    @Test
    void dataWithoutIntegrityProtectionIsRefused() throws Exception {
        byte[] sed = encrypt(false, literal("Content-Type: text/plain\r\n\r\nno MDC\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(refusal(sed)).isEqualTo(CryptoException.Reason.UNPROTECTED_DATA);
    }

    @Test
    void integrityProtectedControlOpens() throws Exception {
        byte[] seipd = encrypt(true, literal("Content-Type: text/plain\r\n\r\nwith MDC\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(OpenPgpFixture.text(mailslot.service.open(MessageSource.of(
                pgpMimeEncrypted("bob@example.org", "alice@example.org", seipd))).content())).endsWith("with MDC\r\n");
    }

    @Test
    void deeplyNestedCompressionIsRefused() throws Exception {
        byte[] packets = literal("Content-Type: text/plain\r\n\r\nnested\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            packets = compress(packets);
        }
        assertThat(refusal(encrypt(true, packets))).isEqualTo(CryptoException.Reason.LIMIT_EXCEEDED);
    }

    @Test
    void compressedPlaintextBeyondTheLimitIsRefused() throws Exception {
        byte[] bomb = compress(compress(literal(new byte[4 << 20])));
        assertThat(bomb.length).isLessThan(20_000);
        assertThat(refusal(encrypt(true, bomb))).isEqualTo(CryptoException.Reason.LIMIT_EXCEEDED);
    }

    @Test
    void byDefaultABombJustOverTheLargestMessageIsRefusedAndOneJustUnderOpens() throws Exception {
        OpenPgpFixture defaults = new OpenPgpFixture(etc);
        byte[] head = "Content-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] over = new byte[(int) Limits.DEFAULT_MAX_PLAINTEXT_BYTES + 1];
        System.arraycopy(head, 0, over, 0, head.length);
        java.util.Arrays.fill(over, head.length, over.length, (byte) 'a');
        byte[] bomb = encrypt(true, compress(literal(over)));
        assertThat(bomb.length).isLessThan(200_000);

        assertThatThrownBy(() -> defaults.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", bomb)))).isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CryptoException.Reason.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains("36700160 bytes");
                });

        byte[] under = java.util.Arrays.copyOf(over, over.length - 1024);
        byte[] fits = encrypt(true, compress(literal(under)));
        assertThat(OpenPgpFixture.bytes(defaults.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", fits))).content()).length).isGreaterThan(under.length);
    }

    @Test
    void tamperedAeadDataIsRefusedWithoutPlaintext() throws Exception {
        byte[] v6Secret = new org.bouncycastle.openpgp.api.bc.BcOpenPGPApi().generateKey(6)
                .ed25519x25519Key("<victor@example.org>").build().getEncoded();
        OpenPgpFixture victor = new OpenPgpFixture(etc.resolve("victor"));
        KeyInfo v6 = victor.service.importKeys(v6Secret, null).get(0);
        OpenPgpFixture sender = new OpenPgpFixture(etc.resolve("aead-sender"));
        sender.service.importKeys(victor.service.exportPublic(v6.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII), null);
        byte[] sent = OpenPgpFixture.bytes(sender.service.protect(null, java.util.List.of(OpenPgpFixture.address("victor@example.org")),
                org.mailslot.api.crypto.Protection.ENCRYPT, MessageSource.of(OpenPgpFixture.message("carol@example.org",
                        "victor@example.org", "x".repeat(3000) + "\r\n"))));
        byte[] binary = Armor.decode(MimeEntity.parse(PgpMessageCrypto.parts(MimeEntity.parse(sent)).get(1)).bodyCopy());
        Object packets = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(binary).nextObject();
        assertThat(((org.bouncycastle.openpgp.PGPEncryptedDataList) packets).get(0).isAEAD()).as("SEIPD v2").isTrue();
        assertThat(victor.service.open(MessageSource.of(sent)).integrityChecked()).isTrue();

        for (int fromEnd : new int[] {8, 40, 1000}) {
            byte[] tampered = binary.clone();
            tampered[tampered.length - fromEnd] ^= 0x01;
            assertThatThrownBy(() -> victor.service.open(MessageSource.of(pgpMimeEncrypted("carol@example.org",
                    "victor@example.org", Armor.encode(Armor.MESSAGE, tampered))))).as("octet %d from the end", fromEnd)
                    .isInstanceOfSatisfying(CryptoException.class,
                            e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INTEGRITY_FAILURE));
        }
    }

    @Test
    void garbageIsMalformed() {
        assertThatThrownBy(() -> mailslot.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", "not openpgp at all".getBytes(StandardCharsets.US_ASCII)))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.MALFORMED));
    }

    static byte[] literal(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream literal = new PGPLiteralDataGenerator().open(out, PGPLiteralData.BINARY, "", data.length, new Date())) {
            literal.write(data);
        }
        return out.toByteArray();
    }

    static byte[] compress(byte[] packets) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PGPCompressedDataGenerator compressor = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB);
        try (OutputStream compressed = compressor.open(out)) {
            compressed.write(packets);
        }
        return out.toByteArray();
    }

    static byte[] encrypt(boolean integrity, byte[] packets) throws Exception {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(integrity));
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(encryptionKey));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().build(out);
                OutputStream encrypted = generator.open(armor, packets.length)) {
            encrypted.write(packets);
        }
        return out.toByteArray();
    }
}
