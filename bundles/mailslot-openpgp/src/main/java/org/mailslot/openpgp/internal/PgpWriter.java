package org.mailslot.openpgp.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Date;
import java.util.List;

import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

import org.mailslot.support.mail.Octets;

/**
 * Writes OpenPGP data: detached signatures, and encrypted (optionally one-pass signed) messages.
 * Never compresses (compression leaks through length, and PGP/MIME mail gains little). SEIPD v1
 * with MDC, or v2 with AEAD (OCB) when every recipient advertises it; AES-256 either way. The
 * symmetric cipher of SEIPD v1 runs on the JDK's AES (AES-NI); AEAD and the public-key work on
 * Bouncy Castle.
 */
final class PgpWriter {

    /** A signing component key with its unlocked private part. */
    record Signer(PGPPublicKey key, PGPPrivateKey privateKey) {
    }

    private static final int BUFFER = 1 << 16;
    /** AEAD chunk size octet: chunks of 2^(12+6) = 256 KiB. */
    private static final int AEAD_CHUNK = 12;

    private PgpWriter() {
    }

    /** @return an ASCII-armored detached binary-document signature over the data */
    static byte[] detachedSignature(byte[] data, Signer signer, Date now) throws PGPException, IOException {
        PGPSignatureGenerator generator = generator(signer, now);
        generator.update(data);
        return Armor.encode(Armor.SIGNATURE, generator.generate().getEncoded());
    }

    /**
     * @param recipients the encryption (sub)keys to encrypt the session key to
     * @param aead true to use SEIPD v2 (every recipient supports it)
     * @param signer the key that signs the plaintext inside the encryption, or null
     * @return the binary message
     */
    static Octets encrypt(byte[] data, List<PGPPublicKey> recipients, boolean aead, Signer signer, Date now)
            throws PGPException, IOException {
        JcePGPDataEncryptorBuilder cipher = new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                .setSecureRandom(Providers.RANDOM);
        if (aead) {
            cipher.setWithAEAD(AEADAlgorithmTags.OCB, AEAD_CHUNK);
            cipher.setUseV6AEAD();
            cipher.setProvider(Providers.BC);
        } else {
            cipher.setWithIntegrityPacket(true);
            cipher.setProvider(Providers.SYMMETRIC);
        }
        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(cipher);
        for (PGPPublicKey recipient : recipients) {
            encryption.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(recipient).setProvider(Providers.BC)
                    .setSecureRandom(Providers.RANDOM));
        }
        Octets bytes = new Octets(data.length + data.length / 64 + 4096);
        OutputStream encrypted = encryption.open(bytes, new byte[BUFFER]);
        PGPSignatureGenerator signature = null;
        if (signer != null) {
            signature = generator(signer, now);
            signature.generateOnePassVersion(false).encode(encrypted);
        }
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        try (OutputStream plain = literal.open(encrypted, PGPLiteralData.BINARY, "", now, new byte[BUFFER])) {
            plain.write(data);
        }
        if (signature != null) {
            signature.update(data);
            signature.generate().encode(encrypted);
        }
        encrypted.close();
        return bytes;
    }

    private static PGPSignatureGenerator generator(Signer signer, Date now) throws PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new JcaPGPContentSignerBuilder(signer.key().getAlgorithm(), HashAlgorithmTags.SHA256)
                        .setProvider(Providers.BC).setDigestProvider(Providers.DIGEST)
                        .setSecureRandom(Providers.RANDOM),
                signer.key());
        generator.init(PGPSignature.BINARY_DOCUMENT, signer.privateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(true, now);
        hashed.setIssuerFingerprint(false, signer.key());
        generator.setHashedSubpackets(hashed.generate());
        return generator;
    }
}
