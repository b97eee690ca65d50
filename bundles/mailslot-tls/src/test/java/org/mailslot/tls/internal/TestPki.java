package org.mailslot.tls.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** Test certificate authorities and server identities, made with Bouncy Castle, written as files. */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private TestPki() {
    }

    record Ca(KeyPair keys, X509Certificate certificate) {
    }

    record Leaf(PrivateKey key, List<X509Certificate> chain) {

        X509Certificate certificate() {
            return chain.get(0);
        }

        String fingerprint() {
            return IdentityInfo.fingerprint(certificate());
        }
    }

    static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    static Ca ca(String commonName) throws Exception {
        KeyPair keys = keyPair("EC");
        X500Name name = new X500Name("O=Mailslot tests,CN=" + commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Ca(keys, sign(builder, keys.getPrivate()));
    }

    /** A server certificate for {@code localhost} (DNS only), valid from yesterday for 30 days. */
    static Leaf leaf(Ca ca, String commonName) throws Exception {
        return leaf(ca, commonName, "EC", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                "localhost");
    }

    static Leaf leaf(Ca ca, String commonName, String keyAlgorithm, Instant notBefore, Instant notAfter, String... dnsNames)
            throws Exception {
        KeyPair keys = keyPair(keyAlgorithm);
        return new Leaf(keys.getPrivate(), List.of(certificate(ca, commonName, keys.getPublic(), notBefore, notAfter, dnsNames),
                ca.certificate()));
    }

    static X509Certificate certificate(Ca ca, String commonName, PublicKey key, Instant notBefore, Instant notAfter,
            String... dnsNames) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("O=Mailslot tests,CN=" + commonName), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        List<GeneralName> names = new ArrayList<>();
        for (String dnsName : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, dnsName));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        return sign(builder, ca.keys().getPrivate());
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    // ---- files

    static Path pkcs12(Path file, Leaf leaf, String password, String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, leaf.key(), password.toCharArray(), leaf.chain().toArray(new Certificate[0]));
        return store(file, store, password);
    }

    static Path trustPkcs12(Path file, String password, X509Certificate... anchors) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.length; i++) {
            store.setCertificateEntry("ca-" + i, anchors[i]);
        }
        return store(file, store, password);
    }

    private static Path store(Path file, KeyStore store, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    static Path certificates(Path file, X509Certificate... certificates) throws IOException {
        return pem(file, (Object[]) certificates);
    }

    static Path certificates(Path file, Leaf leaf) throws IOException {
        return pem(file, leaf.chain().toArray());
    }

    /** PKCS#8, {@code -----BEGIN PRIVATE KEY-----}. */
    static Path pkcs8Key(Path file, PrivateKey key) throws Exception {
        return pem(file, new JcaPKCS8Generator(key, null));
    }

    /** Encrypted PKCS#8, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----}. */
    static Path encryptedPkcs8Key(Path file, PrivateKey key, String password) throws Exception {
        return pem(file, new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setPassword(password.toCharArray()).build()));
    }

    /**
     * Traditional OpenSSL, {@code -----BEGIN RSA PRIVATE KEY-----}, or for EC what {@code openssl
     * ecparam -genkey} writes: an {@code EC PARAMETERS} block, then {@code EC PRIVATE KEY} with
     * the curve inside too unless {@code curveInKey} is false.
     */
    static Path traditionalKey(Path file, PrivateKey key, boolean curveInKey) throws IOException {
        if (!key.getAlgorithm().equals("EC")) {
            return pem(file, key);
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) info.getPrivateKeyAlgorithm().getParameters();
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey traditional = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), curveInKey ? curve : null);
        return pem(file, new PemObject("EC PARAMETERS", curve.getEncoded()), new PemObject("EC PRIVATE KEY", traditional.getEncoded()));
    }

    /** Traditional OpenSSL with {@code Proc-Type: 4,ENCRYPTED}. */
    static Path encryptedTraditionalKey(Path file, PrivateKey key, String password) throws IOException {
        return pem(file, new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC)
                .build(password.toCharArray())));
    }

    static Path pem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                if (object instanceof PemObject pemObject) {
                    writer.writeObject(pemObject);
                } else if (object instanceof PemObjectGenerator generator) {
                    writer.writeObject(generator);
                } else {
                    writer.writeObject(object);
                }
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }
}
