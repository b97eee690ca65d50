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
import org.mailslot.api.transport.MessageSource;

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
