package org.mailslot.smime.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.mailslot.api.mail.MailAddress;

/** Makes self-issued S/MIME certificates for newcomers: EC P-256 or RSA-3072, rfc822Name SAN, e-mail protection. */
final class KeyGeneration {

    /** The key types {@code smime.generate.key} accepts. */
    enum KeyType {
        EC_P256, RSA_3072;

        static KeyType fromConfig(String value) {
            String key = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (key) {
                case "", "ec-p256", "ec", "p-256" -> EC_P256;
                case "rsa-3072", "rsa" -> RSA_3072;
                default -> throw new IllegalArgumentException("smime.generate.key is '" + value + "'; use ec-p256 or rsa-3072");
            };
        }
    }

    static final Duration VALIDITY = Duration.ofDays(730);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGeneration() {
    }

    record Identity(KeyPair keys, X509Certificate certificate) {
    }

    static Identity selfIssued(MailAddress address, KeyType type, Instant now) throws GeneralSecurityException {
        KeyPair keys = keyPair(type);
        try {
            var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, address.toString()).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    | (type == KeyType.RSA_3072 ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address.toString())));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            String algorithm = type == KeyType.RSA_3072 ? "SHA256withRSA" : "SHA256withECDSA";
            var signer = new JcaContentSignerBuilder(algorithm).setProvider(Providers.BC).build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new Identity(keys, certificate);
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot make a certificate for " + address + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA_3072) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, RANDOM);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }
}
