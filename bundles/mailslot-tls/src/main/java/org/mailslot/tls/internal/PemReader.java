package org.mailslot.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.mailslot.support.text.ErrorText;

/**
 * Certificates and private keys from PEM files, with Bouncy Castle's parser (the one class that
 * uses it for PEM). Every problem is a {@link MaterialException} naming the file; no password is
 * ever part of a message.
 */
final class PemReader {

    private PemReader() {
    }

    /** @return every certificate in a PEM file, in order (other blocks are skipped) */
    static List<X509Certificate> certificates(Path file, FileStamps stamps) throws MaterialException {
        byte[] bytes = stamps.read(file);
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = parser(bytes)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw MaterialException.of(file, "not a readable PEM file (" + ErrorText.of(e) + ")");
        }
        if (certificates.isEmpty()) {
            throw MaterialException.of(file, "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /**
     * @return the first private key in a PEM file: PKCS#8, encrypted PKCS#8, or a traditional RSA or
     *         EC key (encrypted or not, with its curve in a separate EC PARAMETERS block or not)
     * @param password for an encrypted key; null when none is configured
     */
    static PrivateKey privateKey(Path file, char[] password, FileStamps stamps) throws MaterialException {
        byte[] bytes = stamps.read(file);
        PrivateKeyInfo info = null;
        ASN1ObjectIdentifier curve = null;
        try (PEMParser parser = parser(bytes)) {
            Object object;
            while (info == null && (object = parser.readObject()) != null) {
                if (object instanceof ASN1ObjectIdentifier parameters) {
                    curve = parameters;  // an EC PARAMETERS block, as openssl ecparam writes before the key
                } else if (object instanceof PrivateKeyInfo plain) {
                    info = plain;
                } else if (object instanceof PEMKeyPair pair) {
                    info = withCurve(pair.getPrivateKeyInfo(), curve);
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(file, password);
                    try {
                        info = encrypted.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
                    } catch (Exception e) {
                        throw MaterialException.of(file, "wrong password for the encrypted private key");
                    }
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(file, password);
                    try {
                        info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password))
                                .getPrivateKeyInfo();
                    } catch (Exception e) {
                        throw MaterialException.of(file, "wrong password for the encrypted private key");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw MaterialException.of(file, "not a readable PEM file (" + ErrorText.of(e) + ")");
        }
        if (info == null) {
            throw MaterialException.of(file, "no PEM private key found (expected PRIVATE KEY, ENCRYPTED PRIVATE KEY,"
                    + " RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = oid.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA"
                : oid.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC"
                : oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS) ? "RSASSA-PSS"
                : oid.equals(EdECObjectIdentifiers.id_Ed25519) ? "Ed25519"
                : oid.equals(EdECObjectIdentifiers.id_Ed448) ? "Ed448"
                : null;
        if (algorithm == null) {
            throw MaterialException.of(file, "unsupported private key algorithm " + oid.getId());
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw MaterialException.of(file, "unreadable " + algorithm + " private key (" + ErrorText.of(e) + ")");
        }
    }

    /** A traditional EC key may leave its curve to a separate EC PARAMETERS block. */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (curve != null && algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                && (algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null)) {
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), info.parsePrivateKey());
        }
        return info;
    }

    private static void requirePassword(Path file, char[] password) throws MaterialException {
        if (password == null) {
            throw MaterialException.of(file, "the private key is encrypted; set .identity.key.password");
        }
    }

    private static PEMParser parser(byte[] bytes) {
        return new PEMParser(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII));
    }

    /** Bouncy Castle as a provider object, for PEM decryption only; never registered JVM-wide. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
