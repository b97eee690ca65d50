package org.mailslot.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

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
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;

/**
 * Reads and checks the material a configuration names. Every problem becomes a {@link
 * MaterialException} whose message is one line naming the file; nothing here logs a password.
 */
final class MaterialLoader {

    static final String SELF_SIGNED_KEY = "self-signed-key.pem";
    static final String SELF_SIGNED_CERTIFICATE = "self-signed-cert.pem";

    /** A generated identity this close to its end is replaced rather than served. */
    private static final Duration SELF_SIGNED_MARGIN = Duration.ofDays(7);

    private static final String MISSING = "missing";

    private final Clock clock;
    private final Logger log;

    MaterialLoader(Clock clock, Logger log) {
        this.clock = clock;
        this.log = log;
    }

    /** The outcome of one load: material (complete only without error), the error, what was read. */
    record Attempt(Material material, String error, Map<Path, String> stamps) {

        boolean complete() {
            return error == null;
        }
    }

    /**
     * Loads everything the configuration names. Bad material is not thrown but reported in the
     * attempt: then the material has no identity and carries whichever trust loaded (else the
     * JDK's), for client use only.
     *
     * @throws IllegalStateException if the JDK cannot make TLS contexts at all
     */
    Attempt load(TlsServiceImpl.Config config, String karafEtc) {
        Map<Path, String> stamps = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Settings settings = null;
        try {
            settings = Settings.of(config, karafEtc);
        } catch (MaterialException e) {
            errors.add(e.getMessage());
        }
        List<String> protocols = TlsService.DEFAULT_PROTOCOLS;
        List<String> suites;
        List<String> clientSuites;
        // A protocol or suite the JDK cannot use costs no identity: the defaults stand in, and the
        // service keeps what it served before, if anything.
        List<String> settingErrors = new ArrayList<>();
        Material.Trust trust = null;
        Identity identity = null;
        try {
            SSLContext plain = SSLContext.getInstance("TLS");
            plain.init(null, null, null);
            suites = defaultCipherSuites(plain);
            clientSuites = defaultClientCipherSuites(plain);
            if (settings != null) {
                try {
                    List<String> configuredProtocols = protocols(settings, plain);
                    List<String> configuredSuites = cipherSuites(settings, plain);
                    protocols = configuredProtocols;
                    if (!settings.cipherSuites.isEmpty()) {
                        suites = configuredSuites;
                        clientSuites = configuredSuites;
                    }
                } catch (MaterialException e) {
                    settingErrors.add(e.getMessage());
                }
                try {
                    trust = trust(settings, stamps);
                } catch (MaterialException e) {
                    errors.add(e.getMessage());
                }
                try {
                    identity = identity(settings, stamps);
                } catch (MaterialException e) {
                    errors.add(e.getMessage());
                }
            }
            if (trust == null) {
                trust = trust(jdkAnchors(), List.of());
            }
            boolean materialGood = errors.isEmpty();
            errors.addAll(settingErrors);
            String error = errors.isEmpty() ? null : String.join("; ", errors);
            return new Attempt(Material.of(materialGood ? identity : null, trust, protocols, suites, clientSuites), error, stamps);
        } catch (GeneralSecurityException | RuntimeException e) {
            errors.add("TLS setup failed: " + ErrorText.of(e));
            throw new IllegalStateException(String.join("; ", errors), e);
        }
    }

    /** @return true if a file read by the attempt that produced {@code stamps} is different now */
    static boolean changed(Map<Path, String> stamps) {
        for (Map.Entry<Path, String> entry : stamps.entrySet()) {
            if (!entry.getValue().equals(stamp(entry.getKey()))) {
                return true;
            }
        }
        return false;
    }

    private static String stamp(Path file) {
        try {
            return hash(Files.readAllBytes(file));
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return bytes.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file, Map<Path, String> stamps) throws MaterialException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            stamps.put(file, hash(bytes));
            return bytes;
        } catch (NoSuchFileException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "file not found");
        } catch (AccessDeniedException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "not readable (permission denied)");
        } catch (IOException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
    }

    // ---- protocols and cipher suites

    private static List<String> protocols(Settings settings, SSLContext plain) throws MaterialException {
        if (settings.protocols.isEmpty()) {
            return TlsService.DEFAULT_PROTOCOLS;
        }
        List<String> usable = usableProtocols(plain);
        for (String protocol : settings.protocols) {
            if (!usable.contains(protocol)) {
                boolean supported = Arrays.asList(plain.getSupportedSSLParameters().getProtocols()).contains(protocol);
                throw new MaterialException(Settings.WHERE + ": protocols: \"" + protocol + "\" is "
                        + (supported ? "disabled in this JDK (jdk.tls.disabledAlgorithms)" : "not supported")
                        + "; usable: " + String.join(", ", usable));
            }
        }
        return List.copyOf(new LinkedHashSet<>(settings.protocols));
    }

    private static List<String> cipherSuites(Settings settings, SSLContext plain) throws MaterialException {
        if (settings.cipherSuites.isEmpty()) {
            return defaultCipherSuites(plain);
        }
        Set<String> supported = Set.of(plain.getSupportedSSLParameters().getCipherSuites());
        for (String suite : settings.cipherSuites) {
            if (!supported.contains(suite)) {
                throw new MaterialException(Settings.WHERE + ": cipher.suites: \"" + suite + "\" is not supported by this JDK");
            }
        }
        return List.copyOf(new LinkedHashSet<>(settings.cipherSuites));
    }

    /**
     * The protocols the JDK supports and has not disabled. SSLv2Hello is no protocol of its own;
     * the JDK accepts a protocol it has disabled and then fails every handshake with it.
     */
    static List<String> usableProtocols(SSLContext plain) {
        Set<String> disabled = new HashSet<>();
        String property = Security.getProperty("jdk.tls.disabledAlgorithms");
        // The JDK's own syntax: comma-separated, entries such as "DH keySize < 1024" hold spaces.
        for (String entry : (property == null ? "" : property).split(",")) {
            disabled.add(entry.strip().toLowerCase(Locale.ROOT));
        }
        List<String> usable = new ArrayList<>();
        for (String protocol : plain.getSupportedSSLParameters().getProtocols()) {
            if (!protocol.equals("SSLv2Hello") && !disabled.contains(protocol.toLowerCase(Locale.ROOT))) {
                usable.add(protocol);
            }
        }
        return List.copyOf(usable);
    }

    private static List<String> defaultCipherSuites(SSLContext plain) {
        List<String> suites = new ArrayList<>();
        for (String suite : plain.getDefaultSSLParameters().getCipherSuites()) {
            if (aeadWithForwardSecrecy(suite)) {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /**
     * What the delivery and retrieval clients offer unless {@code cipher.suites} says otherwise: the
     * JDK's defaults with forward secrecy and without broken primitives, CBC included, since an MTA
     * that has nothing better is still better reached over TLS than not at all.
     */
    private static List<String> defaultClientCipherSuites(SSLContext plain) {
        List<String> suites = new ArrayList<>();
        for (String suite : plain.getDefaultSSLParameters().getCipherSuites()) {
            if (!weak(suite)) {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /**
     * What the server accepts unless {@code cipher.suites} says otherwise: AEAD ciphers (AES-GCM,
     * ChaCha20-Poly1305) with an ephemeral key exchange, as TLS 1.3 has only. Under TLS 1.2 that
     * leaves out the CBC suites (SHA-1 and SHA-2 MACs, MAC-then-encrypt) and static RSA.
     */
    static boolean aeadWithForwardSecrecy(String suite) {
        boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        boolean ephemeral = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        return tls13 || (ephemeral && aead && !weak(suite));
    }

    /**
     * Broken primitives, and key exchanges without forward secrecy. The JDK disables most of the
     * former already; the latter (static RSA and static (EC)DH) it still enables by default.
     */
    static boolean weak(String suite) {
        return suite.startsWith("SSL_")
                || suite.startsWith("TLS_RSA_")
                || suite.startsWith("TLS_ECDH_")
                || suite.startsWith("TLS_DH_")
                || suite.startsWith("TLS_KRB5_")
                || suite.contains("_anon_")
                || suite.contains("_NULL_") || suite.endsWith("_NULL")
                || suite.contains("_EXPORT")
                || suite.contains("_DES_") || suite.contains("_DES40_") || suite.contains("3DES") || suite.contains("DES_EDE")
                || suite.contains("_RC4_")
                || suite.endsWith("_MD5");
    }

    // ---- trust

    private Material.Trust trust(Settings settings, Map<Path, String> stamps) throws MaterialException, GeneralSecurityException {
        List<X509Certificate> extra = new ArrayList<>();
        if (settings.trustPem != null) {
            extra.addAll(pemCertificates(settings.trustPem, stamps));
        }
        if (settings.trustPkcs12 != null) {
            extra.addAll(trustStore(settings.trustPkcs12, settings.trustPkcs12Password, stamps));
        }
        List<X509Certificate> jdk = settings.jdkTrust ? jdkAnchors() : List.of();
        if (jdk.isEmpty() && extra.isEmpty()) {
            throw new MaterialException(Settings.WHERE
                    + ": no trust anchors: trust.jdk.defaults is false and neither trust.pem nor trust.pkcs12 is set");
        }
        return trust(jdk, extra);
    }

    private static Material.Trust trust(List<X509Certificate> jdk, List<X509Certificate> extra) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate certificate : jdk) {
            anchors.setCertificateEntry("jdk-" + i++, certificate);
        }
        for (X509Certificate certificate : extra) {
            anchors.setCertificateEntry("extra-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return new Material.Trust(factory.getTrustManagers(), extra.size());
    }

    private static List<X509Certificate> jdkAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return List.of(x509.getAcceptedIssuers());
            }
        }
        return List.of();
    }

    private static List<X509Certificate> trustStore(Path file, char[] password, Map<Path, String> stamps) throws MaterialException {
        KeyStore store = pkcs12(file, password, stamps);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                }
            }
        } catch (GeneralSecurityException e) {
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
        if (certificates.isEmpty()) {
            throw MaterialException.of(file, "contains no trusted certificate entries");
        }
        return certificates;
    }

    // ---- identity

    private Identity identity(Settings settings, Map<Path, String> stamps) throws MaterialException {
        if (settings.identityPkcs12 != null) {
            return pkcs12Identity(settings.identityPkcs12, settings.identityPkcs12Password, settings.identityAlias, stamps);
        }
        if (settings.identityKey != null) {
            return pemIdentity(settings.identityKey, settings.identityKeyPassword, settings.identityCertificates, false, stamps);
        }
        if (!settings.selfSigned) {
            throw new MaterialException(Settings.WHERE + ": no server identity: set identity.pkcs12, or identity.key and"
                    + " identity.certificates (self.signed.enabled is false)");
        }
        if (settings.selfSignedDirectory == null) {
            throw new MaterialException(Settings.WHERE + ": no server identity configured, and no directory for a generated"
                    + " one: set self.signed.directory (karaf.etc is not set)");
        }
        return selfSignedIdentity(settings.selfSignedDirectory, stamps);
    }

    private Identity selfSignedIdentity(Path directory, Map<Path, String> stamps) throws MaterialException {
        Path key = directory.resolve(SELF_SIGNED_KEY);
        Path certificate = directory.resolve(SELF_SIGNED_CERTIFICATE);
        if (Files.exists(key) || Files.exists(certificate)) {
            String reason;
            try {
                Identity existing = pemIdentity(key, null, certificate, true, stamps);
                if (existing.info().notAfter().isAfter(clock.instant().plus(SELF_SIGNED_MARGIN))) {
                    return existing;
                }
                reason = "it expires on " + existing.info().notAfter();
            } catch (MaterialException e) {
                reason = e.getMessage();
            }
            log.warn("Replacing the generated self-signed TLS certificate in {}: {}", directory, reason);
        }
        try {
            SelfSignedIdentity.generate(directory, key, certificate, clock);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw MaterialException.of(directory, "cannot write a generated self-signed certificate (" + ErrorText.of(e) + ")");
        }
        log.info("Generated a self-signed TLS certificate in {}", directory);
        return pemIdentity(key, null, certificate, true, stamps);
    }

    private Identity pkcs12Identity(Path file, char[] password, String alias, Map<Path, String> stamps) throws MaterialException {
        KeyStore store = pkcs12(file, password, stamps);
        try {
            String chosen = alias;
            if (chosen == null) {
                List<String> keyAliases = new ArrayList<>();
                for (String candidate : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(candidate)) {
                        keyAliases.add(candidate);
                    }
                }
                if (keyAliases.isEmpty()) {
                    throw MaterialException.of(file, "contains no private key");
                }
                if (keyAliases.size() > 1) {
                    throw MaterialException.of(file, "contains " + keyAliases.size() + " private keys " + keyAliases
                            + "; set identity.alias to choose one");
                }
                chosen = keyAliases.get(0);
            } else if (!store.isKeyEntry(chosen)) {
                throw MaterialException.of(file, "has no private key under the alias \"" + chosen + "\"");
            }
            Key key;
            try {
                key = store.getKey(chosen, password == null ? new char[0] : password);
            } catch (UnrecoverableKeyException e) {
                throw MaterialException.of(file, "wrong password for the private key \"" + chosen + "\"");
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw MaterialException.of(file, "the entry \"" + chosen + "\" is not a private key");
            }
            Certificate[] chain = store.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw MaterialException.of(file, "the private key \"" + chosen + "\" has no certificate");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return checked(privateKey, certificates, file, file, "PKCS#12 " + file + " (alias " + chosen + ")", false);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
    }

    private static KeyStore pkcs12(Path file, char[] password, Map<Path, String> stamps) throws MaterialException {
        byte[] bytes = read(file, stamps);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw MaterialException.of(file, "wrong password, or a damaged PKCS#12 file");
            }
            throw MaterialException.of(file, "not a readable PKCS#12 file (" + ErrorText.of(e) + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw MaterialException.of(file, "not a readable PKCS#12 file (" + ErrorText.of(e) + ")");
        }
    }

    private Identity pemIdentity(Path keyFile, char[] password, Path certificateFile, boolean generated,
            Map<Path, String> stamps) throws MaterialException {
        PrivateKey key = pemPrivateKey(keyFile, password, stamps);
        List<X509Certificate> chain = pemCertificates(certificateFile, stamps);
        String source = generated
                ? "generated self-signed " + certificateFile
                : "PEM key " + keyFile + ", certificates " + certificateFile;
        return checked(key, chain, keyFile, certificateFile, source, generated);
    }

    private Identity checked(PrivateKey key, List<X509Certificate> chain, Path keyFile, Path certificateFile, String source,
            boolean generated) throws MaterialException {
        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        Instant now = clock.instant();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw MaterialException.of(certificateFile, "certificate " + subject + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw MaterialException.of(certificateFile, "certificate " + subject + " expired on " + leaf.getNotAfter().toInstant());
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw MaterialException.of(keyFile, "the private key does not match the certificate " + subject
                    + (keyFile.equals(certificateFile) ? "" : " in " + certificateFile));
        }
        return new Identity(key, chain, IdentityInfo.of(leaf, source, generated, now));
    }

    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String keyType = SingleKeyManager.keyType(key.getAlgorithm());
        String algorithm = switch (keyType) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // No cheaper check for exotic keys; the handshake itself will tell.
            return keyType.equals(SingleKeyManager.keyType(publicKey.getAlgorithm()));
        }
        try {
            byte[] probe = "mailslot key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // ---- PEM

    private static List<X509Certificate> pemCertificates(Path file, Map<Path, String> stamps) throws MaterialException {
        byte[] bytes = read(file, stamps);
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

    private static PrivateKey pemPrivateKey(Path file, char[] password, Map<Path, String> stamps) throws MaterialException {
        byte[] bytes = read(file, stamps);
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
