package org.mailslot.dkim.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.mailslot.api.dkim.DkimAlgorithm;

/**
 * A parsed DKIM key record (RFC 6376 section 3.6.1, RFC 8463 section 4).
 *
 * @param algorithm the key type ({@code k=}, default rsa)
 * @param key the public key
 * @param strictIdentity {@code t=s}: i= must be exactly d=
 * @param testing {@code t=y}
 * @param ed25519 the key for Bouncy Castle's Ed25519 verifier, null for RSA
 */
record KeyRecord(DkimAlgorithm algorithm, PublicKey key, boolean strictIdentity, boolean testing,
        Ed25519PublicKeyParameters ed25519) {

    /** RSA keys shorter than this are refused for verification (RFC 8301 section 3.2). */
    static final int MIN_RSA_BITS = 1024;

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw octets. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
        0x00};

    /**
     * @param text the record's character-strings joined
     * @return the record
     * @throws IllegalArgumentException saying why it is not a usable key record (a permanent error)
     */
    static KeyRecord parse(String text) {
        Map<String, String> tags;
        try {
            tags = TagList.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key record does not parse: " + e.getMessage());
        }
        if (tags.containsKey("v")) {
            if (!tags.keySet().iterator().next().equals("v") || !tags.get("v").equals("DKIM1")) {
                throw new IllegalArgumentException("key record v= must be DKIM1 and come first");
            }
        }
        String hashes = tags.get("h");
        if (hashes != null && Arrays.stream(hashes.split(":")).map(String::strip).noneMatch("sha256"::equalsIgnoreCase)) {
            throw new IllegalArgumentException("key record h=" + hashes + " does not allow sha256");
        }
        String service = tags.get("s");
        if (service != null && Arrays.stream(service.split(":")).map(String::strip)
                .noneMatch(s -> s.equals("*") || s.equalsIgnoreCase("email"))) {
            throw new IllegalArgumentException("key record s=" + service + " is not for email");
        }
        String type = tags.getOrDefault("k", "rsa");
        DkimAlgorithm algorithm = DkimAlgorithm.ofKeyType(type)
                .orElseThrow(() -> new IllegalArgumentException("key record k=" + type + " is not a known key type"));
        String p = tags.get("p");
        if (p == null) {
            throw new IllegalArgumentException("key record has no p= tag");
        }
        String base64 = TagList.compact(p);
        if (base64.isEmpty()) {
            throw new IllegalArgumentException("key revoked (empty p=)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key record p= is not base64");
        }
        List<String> flags = tags.containsKey("t")
                ? Arrays.stream(tags.get("t").split(":")).map(String::strip).toList() : List.of();
        return new KeyRecord(algorithm, publicKey(algorithm, der), flags.contains("s"), flags.contains("y"),
                algorithm == DkimAlgorithm.ED25519_SHA256 ? new Ed25519PublicKeyParameters(der, 0) : null);
    }

    private static PublicKey publicKey(DkimAlgorithm algorithm, byte[] der) {
        try {
            if (algorithm == DkimAlgorithm.ED25519_SHA256) {
                if (der.length != 32) {
                    throw new IllegalArgumentException("key record p= is not a 32-octet Ed25519 key");
                }
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
                System.arraycopy(der, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("RSA key shorter than " + MIN_RSA_BITS + " bits");
            }
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("key record p= is not a valid " + algorithm.keyType() + " public key");
        }
    }

    /** @return the record to publish for a public key: {@code v=DKIM1; k=...; p=...} */
    static String publish(DkimAlgorithm algorithm, PublicKey key) {
        byte[] encoded = key.getEncoded();
        byte[] p = algorithm == DkimAlgorithm.ED25519_SHA256
                ? Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length) : encoded;
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }
}
