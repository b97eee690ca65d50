package org.mailslot.smime.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoException.Reason;
import org.mailslot.api.mail.MailAddress;

/**
 * The S/MIME certificate store: a directory with {@code certs/<id>.pem} (certificates),
 * {@code anchors/<id>.pem} (certificates that are also trust anchors) and {@code private/<id>.pem}
 * (private keys, encrypted PKCS#8, PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256 under the store
 * passphrase). The id is the certificate's SHA-256 fingerprint.
 *
 * <p>Reads see an immutable snapshot; changes are serialised and swap the snapshot. Unlocked
 * private keys are kept in memory so that the key derivation runs once per key.
 */
final class CertificateStore {

    private static final String CERTS = "certs";
    private static final String ANCHORS = "anchors";
    private static final String PRIVATE = "private";
    private static final int KEY_DERIVATION_ITERATIONS = 100_000;

    private final Path directory;
    private final char[] passphrase;
    private final Clock clock;
    private final Map<String, PrivateKey> unlocked = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile Map<String, StoredCertificate> entries;

    CertificateStore(Path directory, char[] passphrase, Clock clock) throws IOException {
        this.directory = directory;
        this.passphrase = passphrase.clone();
        this.clock = clock;
        Files.createDirectories(directory.resolve(CERTS));
        Files.createDirectories(directory.resolve(ANCHORS));
        Path secrets = directory.resolve(PRIVATE);
        if (!Files.isDirectory(secrets)) {
            Files.createDirectories(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        this.entries = load();
    }

    Path directory() {
        return directory;
    }

    /** @return every certificate held, ordered by first address then id */
    List<StoredCertificate> all() {
        List<StoredCertificate> result = new ArrayList<>(entries.values());
        result.sort(Comparator.comparing((StoredCertificate entry) -> firstAddress(entry)).thenComparing(StoredCertificate::id));
        return result;
    }

    Optional<StoredCertificate> get(String id) {
        return Optional.ofNullable(entries.get(id == null ? "" : id.toLowerCase(Locale.ROOT)));
    }

    /** @return the matching certificates: by address when the text has an @, else by a full id or an unambiguous prefix of 8 or more hex digits */
    List<StoredCertificate> find(String idOrAddress) {
        String text = idOrAddress == null ? "" : idOrAddress.strip();
        if (text.contains("@")) {
            MailAddress address;
            try {
                address = MailAddress.parse(text);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            return all().stream().filter(entry -> entry.binds(address)).toList();
        }
        String prefix = text.toLowerCase(Locale.ROOT).replace(":", "");
        if (prefix.length() < 8 || !prefix.matches("[0-9a-f]+")) {
            return List.of();
        }
        List<StoredCertificate> matches = all().stream().filter(entry -> entry.id().startsWith(prefix)).toList();
        return matches.size() == 1 ? matches : List.of();
    }

    /**
     * @return the private key of an identity
     * @throws CryptoException LOCKED if the key cannot be decrypted with the store passphrase
     */
    PrivateKey privateKey(String id) throws CryptoException {
        PrivateKey cached = unlocked.get(id);
        if (cached != null) {
            return cached;
        }
        Path file = directory.resolve(PRIVATE).resolve(id + ".pem");
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
                throw new CryptoException(Reason.MALFORMED, file + " does not hold an encrypted PKCS#8 private key");
            }
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Providers.BC).build(passphrase));
            PrivateKey key = new JcaPEMKeyConverter().setProvider(Providers.BC).getPrivateKey(info);
            unlocked.put(id, key);
            return key;
        } catch (CryptoException e) {
            throw e;
        } catch (IOException e) {
            throw new CryptoException(Reason.LOCKED, "cannot read the private key of " + id + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new CryptoException(Reason.LOCKED, "the private key of " + id
                    + " does not open with the store passphrase (was .keys.passphrase changed?)", e);
        }
    }

    /**
     * Imports PEM or DER certificates, or a PKCS#12 identity with its chain. Trust anchors are made
     * only when asked: importing a certificate is a decision to encrypt to it, never to trust every
     * signature that chains to it. With {@code trust}, the CA and self-signed certificates of the
     * material become anchors (a certificate that already is one stays one either way).
     *
     * @throws IllegalArgumentException if trust is asked for material holding no CA or self-signed
     *     certificate; nothing is stored then
     */
    List<StoredCertificate> importMaterial(byte[] material, char[] password, boolean trust) throws CryptoException {
        if (material == null || material.length == 0) {
            throw new CryptoException(Reason.MALFORMED, "nothing to import: the material is empty");
        }
        List<Pending> pending;
        List<X509Certificate> certificates = Certificates.parseAll(material);
        if (!certificates.isEmpty()) {
            pending = new ArrayList<>();
            for (X509Certificate certificate : certificates) {
                pending.add(new Pending(certificate, trust && canAnchor(certificate), null));
            }
        } else if (isPkcs12(material)) {
            pending = new ArrayList<>();
            for (Pending item : readPkcs12(material, password)) {
                pending.add(new Pending(item.certificate(), trust && canAnchor(item.certificate()), item.key()));
            }
        } else {
            throw new CryptoException(Reason.MALFORMED, "not a PEM or DER X.509 certificate, nor a PKCS#12 file");
        }
        if (trust && pending.stream().noneMatch(Pending::anchor)) {
            throw new IllegalArgumentException("nothing to trust: the material holds no CA or self-signed certificate"
                    + " (a trust anchor is a CA's certificate, or a self-signed one); nothing was imported");
        }
        return store(pending);
    }

    private static boolean canAnchor(X509Certificate certificate) {
        return Certificates.isCa(certificate) || Certificates.isSelfSigned(certificate);
    }

    static boolean recognizes(byte[] material) {
        return material != null && material.length > 0
                && (!Certificates.parseAll(material).isEmpty() || isPkcs12(material));
    }

    StoredCertificate storeGenerated(PrivateKey key, X509Certificate certificate) throws CryptoException {
        return store(List.of(new Pending(certificate, true, key))).get(0);
    }

    boolean remove(String id) throws IOException {
        String key = id == null ? "" : id.toLowerCase(Locale.ROOT);
        synchronized (writeLock) {
            if (!entries.containsKey(key)) {
                return false;
            }
            Files.deleteIfExists(directory.resolve(PRIVATE).resolve(key + ".pem"));
            Files.deleteIfExists(directory.resolve(ANCHORS).resolve(key + ".pem"));
            Files.deleteIfExists(directory.resolve(CERTS).resolve(key + ".pem"));
            unlocked.remove(key);
            Map<String, StoredCertificate> next = new LinkedHashMap<>(entries);
            next.remove(key);
            entries = Collections.unmodifiableMap(next);
            return true;
        }
    }

    Clock clock() {
        return clock;
    }

    private record Pending(X509Certificate certificate, boolean anchor, PrivateKey key) {
    }

    private List<StoredCertificate> store(List<Pending> pending) throws CryptoException {
        synchronized (writeLock) {
            Map<String, StoredCertificate> next = new LinkedHashMap<>(entries);
            List<StoredCertificate> stored = new ArrayList<>();
            try {
                for (Pending item : pending) {
                    String id = Certificates.id(item.certificate());
                    StoredCertificate existing = next.get(id);
                    boolean anchor = item.anchor() || (existing != null && existing.anchor());
                    boolean secret = item.key() != null || (existing != null && existing.secret());
                    if (item.key() != null) {
                        writeAtomically(directory.resolve(PRIVATE).resolve(id + ".pem"), encrypt(item.key()), "rw-------");
                        unlocked.put(id, item.key());
                    }
                    String pem = Certificates.pem(item.certificate());
                    writeAtomically(directory.resolve(anchor ? ANCHORS : CERTS).resolve(id + ".pem"),
                            pem.getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
                    if (anchor) {
                        Files.deleteIfExists(directory.resolve(CERTS).resolve(id + ".pem"));
                    }
                    StoredCertificate entry = new StoredCertificate(id, item.certificate(), anchor, secret);
                    next.put(id, entry);
                    stored.add(entry);
                }
            } catch (IOException e) {
                throw new CryptoException(Reason.MALFORMED, "cannot write to the certificate store " + directory + ": " + e.getMessage(), e);
            }
            entries = Collections.unmodifiableMap(next);
            return stored;
        }
    }

    private byte[] encrypt(PrivateKey key) throws CryptoException {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(KEY_DERIVATION_ITERATIONS)
                    .setProvider(Providers.BC)
                    .setPassword(passphrase)
                    .build();
            PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
            var text = new java.io.StringWriter();
            try (PemWriter writer = new PemWriter(text)) {
                writer.writeObject(pem);
            }
            return text.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new CryptoException(Reason.MALFORMED, "cannot protect a private key: " + e.getMessage(), e);
        }
    }

    private List<Pending> readPkcs12(byte[] material, char[] password) throws CryptoException {
        char[] secret = password == null ? new char[0] : password;
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(material), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new CryptoException(Reason.LOCKED, "the PKCS#12 password is wrong or missing", e);
            }
            throw new CryptoException(Reason.MALFORMED, "not a readable PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(Reason.MALFORMED, "not a readable PKCS#12 file: " + e.getMessage(), e);
        }
        Map<String, Pending> pending = new LinkedHashMap<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, secret);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                        continue;
                    }
                    X509Certificate leaf = (X509Certificate) chain[0];
                    pending.put(Certificates.id(leaf), new Pending(leaf, false, privateKey));
                    for (int i = 1; i < chain.length; i++) {
                        pending.putIfAbsent(Certificates.id((X509Certificate) chain[i]),
                                new Pending((X509Certificate) chain[i], false, null));
                    }
                } else if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    pending.putIfAbsent(Certificates.id(certificate), new Pending(certificate, false, null));
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new CryptoException(Reason.LOCKED, "a private key in the PKCS#12 file does not open with the password", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(Reason.MALFORMED, "cannot read the PKCS#12 entries: " + e.getMessage(), e);
        }
        if (pending.values().stream().noneMatch(item -> item.key() != null)) {
            throw new CryptoException(Reason.MALFORMED, "the PKCS#12 file holds no private key with its certificate");
        }
        return new ArrayList<>(pending.values());
    }

    private static boolean isPkcs12(byte[] material) {
        try {
            new PKCS12PfxPdu(material);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private Map<String, StoredCertificate> load() throws IOException {
        Map<String, X509Certificate> certificates = new HashMap<>();
        Map<String, Boolean> anchors = new HashMap<>();
        for (String kind : List.of(CERTS, ANCHORS)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(kind), "*.pem")) {
                for (Path file : files) {
                    List<X509Certificate> parsed = Certificates.parseAll(Files.readAllBytes(file));
                    if (parsed.size() != 1) {
                        throw new IOException(file + " does not hold exactly one certificate");
                    }
                    String id = Certificates.id(parsed.get(0));
                    certificates.put(id, parsed.get(0));
                    anchors.merge(id, kind.equals(ANCHORS), Boolean::logicalOr);
                }
            }
        }
        Map<String, StoredCertificate> result = new LinkedHashMap<>();
        for (var entry : certificates.entrySet()) {
            String id = entry.getKey();
            boolean secret = Files.isRegularFile(directory.resolve(PRIVATE).resolve(id + ".pem"));
            result.put(id, new StoredCertificate(id, entry.getValue(), anchors.get(id), secret));
        }
        return Collections.unmodifiableMap(result);
    }

    private static void writeAtomically(Path file, byte[] content, String permissions) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), ".import-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String firstAddress(StoredCertificate entry) {
        List<MailAddress> addresses = entry.addresses();
        return addresses.isEmpty() ? "" : addresses.get(0).toString().toLowerCase(Locale.ROOT);
    }
}
