package org.mailslot.api.dkim;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The signing algorithms Mailslot signs and verifies with (the {@code a=} tag). */
@ProviderType
public enum DkimAlgorithm {

    /** RSA PKCS#1 v1.5 over SHA-256 (RFC 6376), key type {@code k=rsa}. */
    RSA_SHA256("rsa-sha256", "rsa"),

    /** Ed25519 over the SHA-256 hash of the header data (RFC 8463), key type {@code k=ed25519}. */
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tag;
    private final String keyType;

    DkimAlgorithm(String tag, String keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }

    /** @return the {@code a=} value, e.g. {@code rsa-sha256} */
    public String tag() {
        return tag;
    }

    /** @return the key record's {@code k=} value, e.g. {@code rsa} */
    public String keyType() {
        return keyType;
    }

    /** @return the algorithm with this {@code a=} value, ignoring case */
    public static Optional<DkimAlgorithm> ofTag(String tag) {
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.tag.equalsIgnoreCase(tag)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** @return the algorithm whose key type is this {@code k=} value (or {@code rsa}/{@code ed25519} as typed) */
    public static Optional<DkimAlgorithm> ofKeyType(String keyType) {
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.keyType.equalsIgnoreCase(keyType)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
