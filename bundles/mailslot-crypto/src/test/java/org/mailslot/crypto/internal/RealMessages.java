package org.mailslot.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Real OpenPGP and CMS messages made with Bouncy Castle, for telling them from labelled plaintext. */
final class RealMessages {

    static final String HEADERS = "From: <ops@example.com>\r\nTo: <alice@example.org>\r\nSubject: plans\r\n";
    private static final byte[] INNER = "Content-Type: text/plain\r\n\r\nthe plans\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private static KeyPair rsa;
    private static PGPKeyPair pgp;
    private static X509Certificate certificate;

    private RealMessages() {
    }

    private static synchronized void keys() throws Exception {
        if (rsa == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            rsa = generator.generateKeyPair();
            pgp = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, rsa, new Date());
            X500Name name = new X500Name("CN=ops@example.com");
            certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 86_400_000L),
                    name, rsa.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(rsa.getPrivate())));
        }
    }

    /** @return a PGP/MIME message around a real OpenPGP message: SEIPD v1, or v2 (AEAD) */
    static String pgpEncrypted(boolean aead) throws Exception {
        keys();
        BcPGPDataEncryptorBuilder cipher = new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256);
        if (aead) {
            cipher.setWithAEAD(AEADAlgorithmTags.OCB, 10).setUseV6AEAD();
        } else {
            cipher.setWithIntegrityPacket(true);
        }
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(cipher);
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(pgp.getPublicKey()));
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (OutputStream encrypted = generator.open(binary, new byte[1 << 12]);
                OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "",
                        new Date(), new byte[1 << 12])) {
            literal.write(INNER);
        }
        return pgpMime(armor(binary.toByteArray()));
    }

    static String pgpMime(String armoredMessage) {
        return HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
                + " boundary=\"B0\"\r\n\r\nThis is an OpenPGP/MIME encrypted message.\r\n--B0\r\n"
                + "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--B0\r\n"
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n" + armoredMessage + "\r\n--B0--\r\n";
    }

    /** @return a PGP/MIME signed message with a real detached signature */
    static String pgpSigned() throws Exception {
        keys();
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
                PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), pgp.getPublicKey());
        generator.init(PGPSignature.BINARY_DOCUMENT, pgp.getPrivateKey());
        generator.update(INNER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            generator.generate().encode(armor);
        }
        return HEADERS + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\";"
                + " boundary=\"S0\"\r\n\r\n--S0\r\n" + new String(INNER, StandardCharsets.US_ASCII) + "\r\n--S0\r\n"
                + "Content-Type: application/pgp-signature\r\n\r\n" + out.toString(StandardCharsets.US_ASCII) + "\r\n--S0--\r\n";
    }

    /** @return an S/MIME message of real EnvelopedData (AES-CBC) or AuthEnvelopedData (AES-GCM) */
    static String cmsEncrypted(boolean authenticated) throws Exception {
        keys();
        byte[] der;
        JceKeyTransRecipientInfoGenerator recipient = new JceKeyTransRecipientInfoGenerator(new byte[] {1, 2, 3, 4},
                rsa.getPublic());
        if (authenticated) {
            CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipient);
            der = generator.generate(new CMSProcessableByteArray(INNER), (OutputAEADEncryptor)
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(BC).build()).getEncoded();
        } else {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipient);
            der = generator.generate(new CMSProcessableByteArray(INNER),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BC).build()).getEncoded();
        }
        return pkcs7Mime(authenticated ? "authEnveloped-data" : "enveloped-data", der);
    }

    static String pkcs7Mime(String smimeType, byte[] der) {
        return HEADERS + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=" + smimeType
                + "; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\r\n";
    }

    /** @return an S/MIME multipart/signed message with a real SignedData */
    static String cmsSigned() throws Exception {
        keys();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(rsa.getPrivate()), certificate));
        generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(certificate)));
        byte[] der = generator.generate(new CMSProcessableByteArray(INNER), false).getEncoded();
        return HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " micalg=sha-256; boundary=\"S1\"\r\n\r\n--S1\r\n" + new String(INNER, StandardCharsets.US_ASCII)
                + "\r\n--S1\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n--S1--\r\n";
    }

    static String armor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            armor.write(binary);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
