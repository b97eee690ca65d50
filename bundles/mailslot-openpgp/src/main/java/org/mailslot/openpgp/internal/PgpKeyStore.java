package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRing;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPPrivateKey;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MailAddress;
import org.slf4j.Logger;

/**
 * The OpenPGP key store: one armored file per certificate, {@code <FINGERPRINT>.asc}, in one
 * directory; secret key rings are stored protected by the store passphrase, and their files are
 * owner-only. Reads come from an immutable snapshot; changes are serialised and written to disk
 * (atomically) before the snapshot is swapped. Unlocked private keys are cached in memory so that
 * the passphrase's key derivation is paid once per key, not per message.
 */
final class PgpKeyStore implements CryptoKeys {

    private static final String SUFFIX = ".asc";
    /** The coded count of RFC 4880 section 3.7.1.3: (16 + 0) << (15 + 6) = 32 MiB of hashing. */
    static final int S2K_COUNT_OCTET = 0xF0;

    private final Path directory;
    private final char[] passphrase;
    private final Clock clock;
    private final Logger log;
    private final Object writeLock = new Object();
    private final Map<String, PGPPrivateKey> unlocked = new ConcurrentHashMap<>();

    private volatile Map<String, StoredKey> keys = Map.of();

    PgpKeyStore(Path directory, char[] passphrase, Clock clock, Logger log) throws IOException {
        this.directory = directory;
        this.passphrase = passphrase.clone();
        this.clock = clock;
        this.log = log;
        Files.createDirectories(directory);
        load();
    }

    private void load() throws IOException {
        Map<String, StoredKey> loaded = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    for (PGPKeyRing ring : KeyMaterial.read(Files.readAllBytes(file))) {
                        StoredKey key = stored(ring);
                        loaded.put(key.fingerprint, key);
                    }
                } catch (CryptoException | RuntimeException e) {
                    log.warn("Skipping {}: {}", file, e.getMessage());
                }
            }
        }
        keys = Map.copyOf(loaded);
    }

    private static StoredKey stored(PGPKeyRing ring) {
        if (ring instanceof PGPSecretKeyRing secret) {
            return new StoredKey(publicRing(secret), secret);
        }
        return new StoredKey((PGPPublicKeyRing) ring, null);
    }

    private static PGPPublicKeyRing publicRing(PGPSecretKeyRing secret) {
        List<PGPPublicKey> publicKeys = new ArrayList<>();
        secret.getPublicKeys().forEachRemaining(publicKeys::add);
        return new PGPPublicKeyRing(publicKeys);
    }

    Date now() {
        return Date.from(clock.instant());
    }

    Path directory() {
        return directory;
    }

    @Override
    public CryptoTechnology technology() {
        return CryptoTechnology.PGP;
    }

    @Override
    public boolean recognizes(byte[] material) {
        return KeyMaterial.recognizes(material);
    }

    /** OpenPGP has no trust anchors: the certificates in the store are what is trusted, so trust is refused. */
    @Override
    public List<KeyInfo> importKeys(byte[] material, char[] password, boolean trustAnchors) throws CryptoException {
        if (trustAnchors) {
            throw new IllegalArgumentException("OpenPGP keys have no trust anchors: a certificate is trusted for being"
                    + " in the store, so import it without trust (trust applies to S/MIME CA certificates)");
        }
        List<PGPKeyRing> rings = KeyMaterial.read(material);
        // Unlock and re-protect everything first: a wrong password stores nothing.
        List<PGPKeyRing> prepared = new ArrayList<>();
        for (PGPKeyRing ring : rings) {
            prepared.add(ring instanceof PGPSecretKeyRing secret ? reprotect(secret, password) : ring);
        }
        synchronized (writeLock) {
            Map<String, StoredKey> updated = new TreeMap<>(keys);
            List<StoredKey> changed = new ArrayList<>();
            for (PGPKeyRing ring : prepared) {
                StoredKey incoming = stored(ring);
                StoredKey merged = merge(updated.get(incoming.fingerprint), incoming);
                updated.put(merged.fingerprint, merged);
                changed.removeIf(key -> key.fingerprint.equals(merged.fingerprint));
                changed.add(merged);
            }
            for (StoredKey key : changed) {
                write(key);
                forgetUnlocked(key);
            }
            keys = Map.copyOf(updated);
            Date now = now();
            List<KeyInfo> infos = new ArrayList<>();
            for (StoredKey key : changed) {
                infos.add(key.info(now));
                log.info("Imported OpenPGP {} key {} {}", key.isSecret() ? "secret" : "public", key.fingerprint,
                        key.addresses(now));
            }
            return infos;
        }
    }

    private PGPSecretKeyRing reprotect(PGPSecretKeyRing ring, char[] password) throws CryptoException {
        PBESecretKeyDecryptor decryptor = decryptor(password == null ? new char[0] : password);
        for (PGPSecretKey secret : ring) {
            if (secret.isPrivateKeyEmpty()) {
                continue;
            }
            try {
                if (secret.extractPrivateKey(decryptor) == null) {
                    throw new PGPException("no private key");
                }
            } catch (PGPException | RuntimeException e) {
                throw new CryptoException(CryptoException.Reason.LOCKED, "cannot unlock secret key "
                        + StoredKey.fingerprint(secret.getPublicKey()) + " with the given password", e);
            }
        }
        try {
            // Key by key: AEAD protection (v6) binds each key's own public packet.
            List<PGPSecretKey> reprotected = new ArrayList<>();
            for (PGPSecretKey secret : ring) {
                reprotected.add(secret.isPrivateKeyEmpty() ? secret : reprotected(secret, decryptor));
            }
            return new PGPSecretKeyRing(reprotected);
        } catch (PGPException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "cannot protect secret key "
                    + StoredKey.fingerprint(ring.getPublicKey()) + " with the store passphrase: " + e.getMessage(), e);
        }
    }

    /** v4: the SHA-1 check of usage 254, not the malleable two-octet checksum (255) RFC 9580 forbids creating. */
    private PGPSecretKey reprotected(PGPSecretKey secret, PBESecretKeyDecryptor decryptor) throws PGPException {
        PBESecretKeyEncryptor encryptor = encryptor(secret.getPublicKey());
        return secret.getPublicKey().getVersion() == PublicKeyPacket.VERSION_6
                ? PGPSecretKey.copyWithNewPassword(secret, decryptor, encryptor)
                : PGPSecretKey.copyWithNewPassword(secret, decryptor, encryptor, digests().get(HashAlgorithmTags.SHA1));
    }

    /** The JDK's digests make an iterated S2K several times faster than Bouncy Castle's (SHA intrinsics). */
    private static PBESecretKeyDecryptor decryptor(char[] password) {
        try {
            return new JcePBESecretKeyDecryptorBuilder(digests()).setProvider(Providers.BC).build(password);
        } catch (PGPException e) {
            throw new IllegalStateException("cannot build a secret key decryptor", e);
        }
    }

    private static PGPDigestCalculatorProvider digests() {
        try {
            return new JcaPGPDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build();
        } catch (PGPException e) {
            throw new IllegalStateException("the JDK's message digests are not available", e);
        }
    }

    /**
     * AES-256 in CFB with a SHA-1 check and iterated, salted SHA-256 S2K (usage 254) over
     * {@value #S2K_COUNT_OCTET} (32 MiB hashed, tens of milliseconds per key here, paid once per key
     * and bundle start since unlocked keys are cached): readable by every implementation, GnuPG 2.2
     * included; v6 keys (which must not use it) get AEAD (OCB) with Argon2.
     */
    private PBESecretKeyEncryptor encryptor(PGPPublicKey key) throws PGPException {
        if (key.getVersion() == PublicKeyPacket.VERSION_6) {
            return new org.bouncycastle.openpgp.operator.bc.BcAEADSecretKeyEncryptorBuilder(
                    org.bouncycastle.bcpg.AEADAlgorithmTags.OCB, SymmetricKeyAlgorithmTags.AES_256,
                    org.bouncycastle.bcpg.S2K.Argon2Params.memoryConstrainedParameters())
                    .build(passphrase, key.getPublicKeyPacket());
        }
        return new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
                digests().get(HashAlgorithmTags.SHA256), S2K_COUNT_OCTET)
                .setProvider(Providers.BC).setSecureRandom(Providers.RANDOM).build(passphrase);
    }

    /** Joins what is known of a certificate with what arrives (new signatures, revocations, subkeys). */
    private static StoredKey merge(StoredKey existing, StoredKey incoming) throws CryptoException {
        if (existing == null) {
            return incoming;
        }
        try {
            PGPPublicKeyRing joined = PGPPublicKeyRing.join(existing.publicRing, incoming.publicRing, true, true);
            PGPSecretKeyRing secret = incoming.secretRing != null ? incoming.secretRing : existing.secretRing;
            if (secret != null) {
                secret = PGPSecretKeyRing.replacePublicKeys(secret, joined);
            }
            return new StoredKey(joined, secret);
        } catch (PGPException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "cannot merge key " + incoming.fingerprint
                    + " with the stored one: " + e.getMessage(), e);
        }
    }

    private void write(StoredKey key) throws CryptoException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
                if (key.isSecret()) {
                    key.secretRing.encode(armor);
                } else {
                    key.publicRing.encode(armor, true);
                }
            }
            Path temporary = Files.createTempFile(directory, "." + key.fingerprint, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temporary, bytes.toByteArray());
                try {
                    Files.move(temporary, file(key.fingerprint), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file(key.fingerprint), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "cannot store key " + key.fingerprint + " in "
                    + directory + ": " + e.getMessage(), e);
        }
    }

    private Path file(String fingerprint) {
        return directory.resolve(fingerprint + SUFFIX);
    }

    @Override
    public List<KeyInfo> list() {
        Date now = now();
        List<KeyInfo> infos = new ArrayList<>();
        for (StoredKey key : keys.values()) {
            infos.add(key.info(now));
        }
        infos.sort(Comparator.comparing((KeyInfo info) -> info.addresses().isEmpty() ? ""
                : info.addresses().get(0).toString().toLowerCase(Locale.ROOT)).thenComparing(KeyInfo::id));
        return infos;
    }

    @Override
    public List<KeyInfo> find(String idOrAddress) {
        Date now = now();
        List<KeyInfo> found = new ArrayList<>();
        for (StoredKey key : matching(idOrAddress)) {
            found.add(key.info(now));
        }
        return found;
    }

    private List<StoredKey> matching(String idOrAddress) {
        if (idOrAddress == null || idOrAddress.isBlank()) {
            return List.of();
        }
        String query = idOrAddress.strip();
        List<StoredKey> found = new ArrayList<>();
        if (query.indexOf('@') > 0) {
            MailAddress address;
            try {
                address = MailAddress.parse(query.startsWith("<") && query.endsWith(">")
                        ? query.substring(1, query.length() - 1) : query);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            Date now = now();
            for (StoredKey key : keys.values()) {
                if (key.addresses(now).contains(address)) {
                    found.add(key);
                }
            }
            return found;
        }
        String hex = query.replace(" ", "").toUpperCase(Locale.ROOT);
        if (hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.length() < 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return List.of();
        }
        for (StoredKey key : keys.values()) {
            if (key.fingerprint.startsWith(hex)) {
                found.add(key);
            }
        }
        return found;
    }

    @Override
    public boolean remove(String id) {
        if (id == null) {
            return false;
        }
        String fingerprint = id.strip().replace(" ", "").toUpperCase(Locale.ROOT);
        synchronized (writeLock) {
            StoredKey key = keys.get(fingerprint);
            if (key == null) {
                return false;
            }
            try {
                Files.deleteIfExists(file(fingerprint));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file(fingerprint), e);
            }
            Map<String, StoredKey> updated = new LinkedHashMap<>(keys);
            updated.remove(fingerprint);
            keys = Map.copyOf(updated);
            forgetUnlocked(key);
            log.info("Removed OpenPGP key {}", fingerprint);
            return true;
        }
    }

    @Override
    public KeyInfo generate(MailAddress address) throws CryptoException {
        if (address == null) {
            throw new IllegalArgumentException("an address is required to generate a key");
        }
        OpenPGPKey generated;
        try {
            generated = new BcOpenPGPApi().generateKey(PublicKeyPacket.VERSION_4, now())
                    .withPrimaryKey(generator -> generator.generateLegacyEd25519KeyPair(), KeyPreferences.PRIMARY)
                    .addUserId("<" + address + ">", KeyPreferences.USER_ID)
                    .addSigningSubkey(generator -> generator.generateLegacyEd25519KeyPair())
                    .addEncryptionSubkey(generator -> generator.generateLegacyX25519KeyPair())
                    .build();
        } catch (PGPException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "cannot generate a key for " + address + ": "
                    + e.getMessage(), e);
        }
        PGPSecretKeyRing secret = reprotect(generated.getPGPSecretKeyRing(), new char[0]);
        StoredKey key = new StoredKey(publicRing(secret), secret);
        synchronized (writeLock) {
            write(key);
            Map<String, StoredKey> updated = new TreeMap<>(keys);
            updated.put(key.fingerprint, key);
            keys = Map.copyOf(updated);
        }
        log.info("Generated OpenPGP key {} for {}", key.fingerprint, address);
        return key.info(now());
    }

    @Override
    public Optional<String> exportPublic(String id) {
        if (id == null) {
            return Optional.empty();
        }
        StoredKey key = keys.get(id.strip().replace(" ", "").toUpperCase(Locale.ROOT));
        return key == null ? Optional.empty() : Optional.of(key.armoredPublic());
    }

    // What the message side needs.

    List<StoredKey> all() {
        return List.copyOf(keys.values());
    }

    /** @return the certificates with a user ID for this address, newest first */
    List<StoredKey> forAddress(MailAddress address) {
        Date now = now();
        List<StoredKey> found = new ArrayList<>();
        for (StoredKey key : keys.values()) {
            if (key.addresses(now).contains(address)) {
                found.add(key);
            }
        }
        found.sort(Comparator.comparing(StoredKey::created).reversed());
        return found;
    }

    /** @return the certificate holding a key with this identifier (key ID or fingerprint) */
    Optional<StoredKey> holding(KeyIdentifier identifier) {
        for (StoredKey key : keys.values()) {
            if (key.publicRing.getPublicKey(identifier) != null) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * @return the unlocked private key of one component key of one of our identities
     * @throws CryptoException LOCKED if the store passphrase does not unlock it
     */
    PGPPrivateKey privateKey(StoredKey key, PGPPublicKey component) throws CryptoException {
        String id = StoredKey.fingerprint(component);
        PGPPrivateKey cached = unlocked.get(id);
        if (cached != null) {
            return cached;
        }
        PGPSecretKey secret = key.secretRing == null ? null : key.secretRing.getSecretKey(component.getKeyIdentifier());
        if (secret == null || secret.isPrivateKeyEmpty()) {
            throw new CryptoException(CryptoException.Reason.NO_KEY, "no secret key held for " + id);
        }
        try {
            PGPPrivateKey extracted = secret.extractPrivateKey(decryptor(passphrase));
            // Converted to a JCA key once: Bouncy Castle's operators use it as is, instead of
            // converting (and recomputing the public point) for every message.
            PGPPrivateKey privateKey = new JcaPGPPrivateKey(component,
                    new JcaPGPKeyConverter().setProvider(Providers.BC).getPrivateKey(extracted));
            unlocked.put(id, privateKey);
            return privateKey;
        } catch (PGPException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.LOCKED, "the store passphrase does not unlock secret key "
                    + id, e);
        }
    }

    private void forgetUnlocked(StoredKey key) {
        for (PGPPublicKey component : key.publicRing) {
            unlocked.remove(StoredKey.fingerprint(component));
        }
    }
}
