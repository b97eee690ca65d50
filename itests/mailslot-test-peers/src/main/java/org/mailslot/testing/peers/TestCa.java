package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests, made with Bouncy Castle: a self-signed CA
 * certificate and key that live only in memory, issuing server certificates for loopback peers.
 *
 * <p>Negative tests get an {@linkplain #issueExpiredServer expired} certificate from this CA and a
 * certificate from a {@linkplain #issueUntrustedServer different, untrusted CA} whose name is the
 * same, so only the signature tells them apart.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create();
 * IssuedCertificate cert = ca.issueServer("127.0.0.2", "localhost", "mx.example.test");
 * cert.writeKeyPem(dir.resolve("key.pem"));
 * cert.writeChainPem(dir.resolve("chain.pem"));
 * ca.writeCertificatePem(dir.resolve("ca.pem"));    // the trust bundle for clients
 * }</pre>
 */
public final class TestCa {

    /** The key algorithm of a CA and the certificates it issues. */
    public enum KeyAlgorithm {
        /** ECDSA on P-256 with SHA-256: fast to generate, accepted by OpenSSL, Java, Postfix, Dovecot. */
        EC_P256,
        /** RSA 2048 with SHA-256: for peers or tests that need RSA. */
        RSA_2048
    }

    /** The common name of the default CA. */
    public static final String DEFAULT_NAME = "Mailslot Test CA";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyAlgorithm algorithm;
    private final X500Name name;
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private TestCa(KeyAlgorithm algorithm, String commonName, Instant notBefore, Instant notAfter) {
        this.algorithm = algorithm;
        this.name = new X500Name("CN=" + commonName + ",O=Mailslot tests");
        this.keyPair = generateKeyPair(algorithm);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            this.certificate = sign(builder, keyPair.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot create the test CA certificate", e);
        }
    }

    /** @return a new CA named {@value #DEFAULT_NAME} with an EC P-256 key, valid for ten years */
    public static TestCa create() {
        return create(DEFAULT_NAME, KeyAlgorithm.EC_P256);
    }

    /**
     * @param commonName the CA's common name
     * @param algorithm the key algorithm of the CA and of the certificates it issues
     * @return a new CA valid from an hour ago for ten years
     */
    public static TestCa create(String commonName, KeyAlgorithm algorithm) {
        Instant now = Instant.now();
        return new TestCa(algorithm, commonName, now.minus(1, ChronoUnit.HOURS), now.plus(3650, ChronoUnit.DAYS));
    }

    /** @return the CA certificate (the trust anchor) */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the CA certificate in PEM, a trust bundle for OpenSSL, swaks, Postfix or Java */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * Writes the CA certificate as PEM (mode 0644).
     *
     * @param file the target file
     * @return the file
     */
    public Path writeCertificatePem(Path file) {
        return Processes.write(file, certificatePem(), "rw-r--r--");
    }

    /** @return a PKCS#12 trust store holding only the CA certificate, alias "test-ca", no password */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("test-ca", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot build a trust store", e);
        }
    }

    /**
     * Writes {@link #trustStore()} as a PKCS#12 file.
     *
     * @param file the target file
     * @param password the store password
     * @return the file
     */
    public Path writeTrustStore(Path file, char[] password) {
        return IssuedCertificate.store(trustStore(), file, password);
    }

    /** @return a client TLS context that trusts this CA only (TLSv1.2 and TLSv1.3) */
    public SSLContext clientSslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new PeerException("cannot build a client TLS context", e);
        }
    }

    /**
     * Issues a server certificate valid from an hour ago for one year.
     *
     * @param dnsNamesOrIps subject alternative names: IPv4/IPv6 literals become IP entries, the rest
     *     DNS entries; the first one is also the common name
     * @return the key and the chain (server certificate, then this CA's)
     */
    public IssuedCertificate issueServer(String... dnsNamesOrIps) {
        Instant now = Instant.now();
        return issueServer(now.minus(1, ChronoUnit.HOURS), now.plus(365, ChronoUnit.DAYS), dnsNamesOrIps);
    }

    /**
     * Issues a server certificate with an explicit validity.
     *
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param dnsNamesOrIps subject alternative names, as for {@link #issueServer(String...)}
     * @return the key and the chain (server certificate, then this CA's)
     */
    public IssuedCertificate issueServer(Instant notBefore, Instant notAfter, String... dnsNamesOrIps) {
        if (dnsNamesOrIps.length == 0) {
            throw new IllegalArgumentException("a server certificate needs at least one name or address");
        }
        KeyPair leafKeys = generateKeyPair(algorithm);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=" + dnsNamesOrIps[0] + ",O=Mailslot tests"), leafKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature | (algorithm == KeyAlgorithm.RSA_2048 ? KeyUsage.keyEncipherment : 0);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(dnsNamesOrIps));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(leafKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(certificate));
            X509Certificate leaf = sign(builder, keyPair.getPrivate());
            return new IssuedCertificate(leafKeys.getPrivate(), List.of(leaf, certificate));
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot issue a server certificate for " + String.join(", ", dnsNamesOrIps), e);
        }
    }

    /**
     * Issues a server certificate from this CA that expired yesterday (valid for a day, ten days ago).
     *
     * @param dnsNamesOrIps subject alternative names, as for {@link #issueServer(String...)}
     * @return the key and the chain
     */
    public IssuedCertificate issueExpiredServer(String... dnsNamesOrIps) {
        Instant now = Instant.now();
        return issueServer(now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), dnsNamesOrIps);
    }

    /**
     * Issues a server certificate from a different, freshly made CA with the same name as this one:
     * clients that trust this CA must reject it.
     *
     * @param dnsNamesOrIps subject alternative names, as for {@link #issueServer(String...)}
     * @return the key and the chain (ending with the other CA's certificate)
     */
    public IssuedCertificate issueUntrustedServer(String... dnsNamesOrIps) {
        String commonName = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst().getValue().toString();
        return create(commonName, algorithm).issueServer(dnsNamesOrIps);
    }

    /**
     * @param validity how long from now
     * @param dnsNamesOrIps subject alternative names
     * @return a server certificate valid from an hour ago until now + validity
     */
    public IssuedCertificate issueServer(Duration validity, String... dnsNamesOrIps) {
        Instant now = Instant.now();
        return issueServer(now.minus(1, ChronoUnit.HOURS), now.plus(validity), dnsNamesOrIps);
    }

    private static GeneralNames subjectAltNames(String... names) {
        List<GeneralName> result = new ArrayList<>();
        for (String entry : names) {
            Objects.requireNonNull(entry, "name");
            boolean ip = IPV4.matcher(entry).matches() || entry.contains(":");
            if (ip) {
                try {
                    InetAddress.getByName(entry); // validates the literal
                } catch (IOException e) {
                    throw new IllegalArgumentException("not an IP address: " + entry, e);
                }
            }
            result.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, entry));
        }
        return new GeneralNames(result.toArray(GeneralName[]::new));
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            String algorithmName = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithmName).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair generateKeyPair(KeyAlgorithm algorithm) {
        try {
            if (algorithm == KeyAlgorithm.RSA_2048) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PeerException("cannot generate a " + algorithm + " key pair", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    /**
     * @param object a certificate, public key or other object Bouncy Castle can write
     * @return its PEM encoding
     */
    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** @return the CA's public key (for tests that inspect signatures) */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }
}
