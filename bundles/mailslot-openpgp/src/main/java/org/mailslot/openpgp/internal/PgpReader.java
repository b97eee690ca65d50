package org.mailslot.openpgp.internal;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoException.Reason;

/**
 * Reads OpenPGP data: decrypts a message to one of our secret keys, or reads detached signatures.
 * The whole plaintext is buffered and released only after the integrity check (MDC or AEAD tags)
 * passed; unprotected (SED) data is refused before anything is decrypted; decompression is
 * bounded in size and nesting depth.
 */
final class PgpReader {

    /**
     * @param plaintext the literal data, exactly as encrypted
     * @param signatures the signatures inside the encryption (one-pass signed or prefixed)
     * @param recipient the fingerprint of the certificate it was decrypted with
     * @param aead true if it was SEIPD v2
     */
    record Decrypted(byte[] plaintext, List<PGPSignature> signatures, String recipient, boolean aead) {
    }

    private PgpReader() {
    }

    static Decrypted decrypt(byte[] message, PgpKeyStore store, Limits limits) throws CryptoException {
        PGPEncryptedDataList list = encryptedDataList(message);
        boolean anyProtected = false;
        boolean anyUnprotected = false;
        for (PGPEncryptedData data : list) {
            anyProtected |= data.isIntegrityProtected();
            anyUnprotected |= !data.isIntegrityProtected();
        }
        if (anyUnprotected || !anyProtected) {
            throw new CryptoException(Reason.UNPROTECTED_DATA,
                    "the message is encrypted without integrity protection (SED); refused");
        }
        for (PGPEncryptedData data : list) {
            if (!(data instanceof PGPPublicKeyEncryptedData encrypted)) {
                continue;
            }
            for (StoredKey key : candidates(encrypted.getKeyIdentifier(), store)) {
                for (PGPPublicKey component : key.publicRing) {
                    if (!component.isEncryptionKey() || !matches(encrypted.getKeyIdentifier(), component)) {
                        continue;
                    }
                    PGPPrivateKey privateKey = store.privateKey(key, component);
                    PublicKeyDataDecryptorFactory factory = new JcePublicKeyDataDecryptorFactoryBuilder()
                            .setProvider(Providers.BC)
                            .setContentProvider(encrypted.isAEAD() ? Providers.BC : Providers.SYMMETRIC)
                            .build(privateKey);
                    InputStream clear;
                    try {
                        clear = encrypted.getDataStream(factory);
                    } catch (PGPException | RuntimeException e) {
                        if (encrypted.getKeyIdentifier().isWildcard()) {
                            continue;
                        }
                        throw new CryptoException(Reason.INTEGRITY_FAILURE,
                                "the session key cannot be recovered: " + e.getMessage(), e);
                    }
                    return read(encrypted, clear, key.fingerprint, limits);
                }
            }
        }
        throw new CryptoException(Reason.NOT_FOR_US, "the message is not encrypted to any secret key held");
    }

    private static PGPEncryptedDataList encryptedDataList(byte[] message) throws CryptoException {
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(new ByteArrayInputStream(Armor.binary(message)));
            Object object = factory.nextObject();
            while (object instanceof PGPMarker) {
                object = factory.nextObject();
            }
            if (object instanceof PGPEncryptedDataList list && !list.isEmpty()) {
                return list;
            }
            throw new CryptoException(Reason.MALFORMED, "not an OpenPGP encrypted message"
                    + (object == null ? "" : " (found " + object.getClass().getSimpleName() + ")"));
        } catch (IOException | RuntimeException e) {
            throw new CryptoException(Reason.MALFORMED, "not an OpenPGP encrypted message: " + e.getMessage(), e);
        }
    }

    private static List<StoredKey> candidates(KeyIdentifier identifier, PgpKeyStore store) {
        List<StoredKey> candidates = new ArrayList<>();
        for (StoredKey key : store.all()) {
            if (key.isSecret() && (identifier.isWildcard() || key.publicRing.getPublicKey(identifier) != null)) {
                candidates.add(key);
            }
        }
        return candidates;
    }

    private static boolean matches(KeyIdentifier identifier, PGPPublicKey component) {
        return identifier.isWildcard() || identifier.matches(component.getKeyIdentifier());
    }

    private static Decrypted read(PGPPublicKeyEncryptedData encrypted, InputStream clear, String recipient,
            Limits limits) throws CryptoException {
        Content content = new Content(limits);
        try {
            content.parse(clear, 0);
            drain(clear);
            if (!encrypted.isAEAD() && !encrypted.verify()) {
                throw new CryptoException(Reason.INTEGRITY_FAILURE, "the modification detection code (MDC) does not match");
            }
        } catch (LimitExceeded e) {
            throw new CryptoException(Reason.LIMIT_EXCEEDED, e.getMessage(), e);
        } catch (CryptoException e) {
            if (e.reason() == Reason.MALFORMED && !integrityHolds(encrypted, clear)) {
                throw new CryptoException(Reason.INTEGRITY_FAILURE, "the encrypted data was modified", e);
            }
            throw e;
        } catch (IOException | PGPException | RuntimeException e) {
            if (content.limitTripped) {
                throw new CryptoException(Reason.LIMIT_EXCEEDED, "the decompressed message exceeds "
                        + limits.maxPlaintextBytes() + " bytes", e);
            }
            if (integrityHolds(encrypted, clear)) {
                throw new CryptoException(Reason.MALFORMED, "the decrypted data is not a valid OpenPGP message: "
                        + e.getMessage(), e);
            }
            throw new CryptoException(Reason.INTEGRITY_FAILURE, "the encrypted data was modified: " + e.getMessage(), e);
        }
        if (content.literal == null) {
            throw new CryptoException(Reason.MALFORMED, "the encrypted message holds no literal data");
        }
        return new Decrypted(content.literal, List.copyOf(content.signatures), recipient, encrypted.isAEAD());
    }

    private static boolean integrityHolds(PGPPublicKeyEncryptedData encrypted, InputStream clear) {
        if (encrypted.isAEAD()) {
            return false;
        }
        try {
            drain(clear);
            return encrypted.verify();
        } catch (IOException | PGPException | RuntimeException e) {
            return false;
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) >= 0) {
            // read to the end, so that the MDC or the last AEAD tag is checked
        }
    }

    /** The packets inside the encryption: at most one literal, signatures, bounded compression. */
    private static final class Content {

        private final Limits limits;
        private final List<PGPSignature> signatures = new ArrayList<>();
        private byte[] literal;
        private long decompressed;
        private boolean limitTripped;

        Content(Limits limits) {
            this.limits = limits;
        }

        void parse(InputStream in, int depth) throws IOException, PGPException, CryptoException {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            Object object;
            while ((object = factory.nextObject()) != null) {
                if (object instanceof PGPCompressedData compressed) {
                    if (depth + 1 > limits.maxCompressionDepth()) {
                        limitTripped = true;
                        throw new CryptoException(Reason.LIMIT_EXCEEDED, "compressed data nested " + (depth + 1)
                                + " deep; the limit is " + limits.maxCompressionDepth());
                    }
                    parse(new Counting(compressed.getDataStream()), depth + 1);
                } else if (object instanceof PGPLiteralData data) {
                    if (literal != null) {
                        throw new CryptoException(Reason.MALFORMED, "more than one literal data packet");
                    }
                    literal = BoundedBuffer.read(data.getDataStream(), limits.maxPlaintextBytes(), "the decrypted message");
                } else if (object instanceof PGPSignatureList list) {
                    list.forEach(signatures::add);
                } else if (!(object instanceof PGPOnePassSignatureList) && !(object instanceof PGPMarker)) {
                    throw new CryptoException(Reason.MALFORMED, "unexpected " + object.getClass().getSimpleName()
                            + " inside the encrypted message");
                }
            }
        }

        /** Counts every decompressed byte, across nesting, against the plaintext limit. */
        private final class Counting extends FilterInputStream {

            Counting(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws LimitExceeded {
                decompressed += n;
                if (decompressed > limits.maxPlaintextBytes()) {
                    limitTripped = true;
                    throw new LimitExceeded("the decompressed message exceeds " + limits.maxPlaintextBytes() + " bytes");
                }
            }
        }
    }

    /** @return the signatures in an armored or binary signature block (a PGP/MIME signature part) */
    static List<PGPSignature> signatures(byte[] block) throws CryptoException {
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(new ByteArrayInputStream(Armor.binary(block)));
            Object object;
            while ((object = factory.nextObject()) != null) {
                if (object instanceof PGPSignatureList list) {
                    list.forEach(signatures::add);
                } else if (!(object instanceof PGPMarker)) {
                    throw new CryptoException(Reason.MALFORMED, "the signature part holds a "
                            + object.getClass().getSimpleName() + ", not a signature");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new CryptoException(Reason.MALFORMED, "the signature part is not an OpenPGP signature: "
                    + e.getMessage(), e);
        }
        if (signatures.isEmpty()) {
            throw new CryptoException(Reason.MALFORMED, "the signature part holds no signature");
        }
        return signatures;
    }
}
