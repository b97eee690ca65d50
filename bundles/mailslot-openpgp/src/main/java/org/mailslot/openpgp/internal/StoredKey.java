package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPUserId;
import org.bouncycastle.util.encoders.Hex;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MailAddress;

/**
 * One certificate in the store, with its secret key ring when it is one of our identities. Its
 * validity (binding signatures, expiry, revocation) is judged by Bouncy Castle's
 * {@link OpenPGPCertificate}, which checks the self-signatures. Immutable; the certificate's
 * lazily filled caches are only touched under this object's lock.
 */
final class StoredKey {

    final String fingerprint;
    final PGPPublicKeyRing publicRing;
    final PGPSecretKeyRing secretRing;
    final OpenPGPCertificate certificate;

    StoredKey(PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {
        this.publicRing = publicRing;
        this.secretRing = secretRing;
        this.certificate = new OpenPGPCertificate(publicRing);
        this.fingerprint = fingerprint(publicRing.getPublicKey());
    }

    static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    boolean isSecret() {
        return secretRing != null;
    }

    /** @return true if the primary key is revoked (by a verified revocation signature) */
    synchronized boolean isRevoked(Date when) {
        return certificate.getPrimaryKey().getRevocation(when) != null;
    }

    synchronized Optional<Date> expiry() {
        return Optional.ofNullable(certificate.getExpirationTime());
    }

    boolean isExpired(Date when) {
        return expiry().map(expires -> !expires.after(when)).orElse(false);
    }

    /** @return true if that component key is revoked by itself (a subkey revocation) */
    synchronized boolean componentRevoked(PGPPublicKey component, Date when) {
        OpenPGPComponentKey key = certificate.getKey(component.getKeyIdentifier());
        return key != null && key.getRevocation(when) != null;
    }

    /** @return true if that component key's own expiry has passed at that time */
    synchronized boolean componentExpired(PGPPublicKey component, Date when) {
        OpenPGPComponentKey key = certificate.getKey(component.getKeyIdentifier());
        Date expires = key == null ? null : key.getKeyExpirationDateAt(when);
        return expires != null && !expires.after(when);
    }

    /** @return true if that component key was bound and flagged for signing at that time */
    synchronized boolean canSignAt(PGPPublicKey component, Date when) {
        OpenPGPComponentKey key = certificate.getKey(component.getKeyIdentifier());
        return key != null && key.isSigningKey(when);
    }

    /** @return the addresses of the user IDs bound at that time ({@code Name <a@b>} or {@code a@b}) */
    synchronized List<MailAddress> addresses(Date when) {
        Set<MailAddress> addresses = new LinkedHashSet<>();
        List<OpenPGPUserId> userIds = certificate.getValidUserIds(when);
        if (userIds.isEmpty()) {
            userIds = certificate.getAllUserIds();
        }
        for (OpenPGPUserId userId : userIds) {
            address(userId.getUserId()).ifPresent(addresses::add);
        }
        return List.copyOf(addresses);
    }

    /** @return only the addresses of user IDs validly bound at that time */
    synchronized List<MailAddress> boundAddresses(Date when) {
        Set<MailAddress> addresses = new LinkedHashSet<>();
        for (OpenPGPUserId userId : certificate.getValidUserIds(when)) {
            address(userId.getUserId()).ifPresent(addresses::add);
        }
        return List.copyOf(addresses);
    }

    static Optional<MailAddress> address(String userId) {
        String text = userId;
        int open = text.lastIndexOf('<');
        int close = text.lastIndexOf('>');
        if (open >= 0 && close > open) {
            text = text.substring(open + 1, close);
        }
        text = text.strip();
        if (text.indexOf('@') <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(MailAddress.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the newest usable encryption subkey, if the certificate is valid, unrevoked and unexpired */
    synchronized Optional<PGPPublicKey> encryptionKey(Date when) {
        if (isRevoked(when) || isExpired(when)) {
            return Optional.empty();
        }
        return certificate.getEncryptionKeys(when).stream()
                .max(Comparator.comparing(OpenPGPComponentKey::getCreationTime))
                .map(OpenPGPComponentKey::getPGPPublicKey);
    }

    /** @return the signing-capable keys for which we hold the secret part */
    synchronized List<PGPPublicKey> signingKeys(Date when) {
        List<PGPPublicKey> keys = new ArrayList<>();
        if (!isSecret() || isRevoked(when) || isExpired(when)) {
            return keys;
        }
        for (OpenPGPComponentKey key : certificate.getSigningKeys(when)) {
            var secret = secretRing.getSecretKey(key.getKeyIdentifier());
            if (secret != null && !secret.isPrivateKeyEmpty()) {
                keys.add(key.getPGPPublicKey());
            }
        }
        keys.sort(Comparator.comparing(PGPPublicKey::getCreationTime).reversed());
        return keys;
    }

    /** @return true if the certificate advertises SEIPD v2 (AEAD) support (RFC 9580 features) */
    synchronized boolean supportsSeipdV2(Date when) {
        Features features = certificate.getPrimaryKey().getFeatures(when);
        return features != null && features.supportsSEIPDv2();
    }

    synchronized KeyInfo info(Date when) {
        return new KeyInfo(CryptoTechnology.PGP, fingerprint, addresses(when), isSecret(), algorithm(),
                publicRing.getPublicKey().getCreationTime().toInstant(), expiry().map(Date::toInstant),
                isRevoked(when), encryptionKey(when).isPresent(), !signingKeys(when).isEmpty());
    }

    /** @return the public key ring, ASCII armored */
    String armoredPublic() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
                publicRing.encode(armor, true);
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a key held in memory", e);
        }
    }

    String algorithm() {
        PGPPublicKey primary = publicRing.getPublicKey();
        String text = algorithm(primary);
        for (PGPPublicKey key : publicRing) {
            if (!key.isMasterKey() && key.isEncryptionKey()) {
                String sub = algorithm(key);
                if (!sub.equals(text)) {
                    text += "/" + sub;
                }
                break;
            }
        }
        return primary.getVersion() == PublicKeyPacket.VERSION_6 ? text + " (v6)" : text;
    }

    private static String algorithm(PGPPublicKey key) {
        switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL:
            case PublicKeyAlgorithmTags.RSA_ENCRYPT:
            case PublicKeyAlgorithmTags.RSA_SIGN:
                return "RSA-" + key.getBitStrength();
            case PublicKeyAlgorithmTags.EDDSA_LEGACY:
                return "Ed25519";
            case PublicKeyAlgorithmTags.Ed25519:
                return "Ed25519";
            case PublicKeyAlgorithmTags.Ed448:
                return "Ed448";
            case PublicKeyAlgorithmTags.X25519:
                return "X25519";
            case PublicKeyAlgorithmTags.X448:
                return "X448";
            case PublicKeyAlgorithmTags.ECDH:
                return key.getBitStrength() == 255 || key.getBitStrength() == 256 && isCurve25519(key) ? "Cv25519"
                        : "ECDH-" + key.getBitStrength();
            case PublicKeyAlgorithmTags.ECDSA:
                return "ECDSA-" + key.getBitStrength();
            case PublicKeyAlgorithmTags.DSA:
                return "DSA-" + key.getBitStrength();
            case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT:
            case PublicKeyAlgorithmTags.ELGAMAL_GENERAL:
                return "ElGamal-" + key.getBitStrength();
            default:
                return "algorithm-" + key.getAlgorithm();
        }
    }

    private static boolean isCurve25519(PGPPublicKey key) {
        return key.getPublicKeyPacket().getKey() instanceof org.bouncycastle.bcpg.ECDHPublicBCPGKey ecdh
                && ecdh.getCurveOID().getId().equals("1.3.6.1.4.1.3029.1.5.1");
    }

    Instant created() {
        return publicRing.getPublicKey().getCreationTime().toInstant();
    }
}
