package org.mailslot.api.crypto;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A key or certificate in a store, as the shell lists it. Immutable.
 *
 * @param technology the store it lives in
 * @param id the OpenPGP fingerprint (hex) or the certificate's SHA-256 fingerprint (hex)
 * @param addresses the e-mail addresses bound to it (user IDs, subjectAltName rfc822Name)
 * @param secret true if the secret key or private key is held (one of our identities)
 * @param algorithm for example {@code Ed25519/Cv25519}, {@code RSA-3072}, {@code EC P-256}
 * @param created creation or notBefore time
 * @param expires expiry or notAfter time, if any
 * @param revoked true if revoked
 * @param canEncrypt true if usable to encrypt to now
 * @param canSign true if usable to sign now (needs {@code secret})
 * @param trustAnchor true if signatures are trusted for a certification path to it (S/MIME anchors);
 *     always false in a store without anchors (OpenPGP)
 */
@ProviderType
public record KeyInfo(CryptoTechnology technology, String id, List<MailAddress> addresses, boolean secret,
        String algorithm, Instant created, Optional<Instant> expires, boolean revoked, boolean canEncrypt,
        boolean canSign, boolean trustAnchor) {

    /** A key that is no trust anchor; the form of version 1.0. */
    public KeyInfo(CryptoTechnology technology, String id, List<MailAddress> addresses, boolean secret,
            String algorithm, Instant created, Optional<Instant> expires, boolean revoked, boolean canEncrypt,
            boolean canSign) {
        this(technology, id, addresses, secret, algorithm, created, expires, revoked, canEncrypt, canSign, false);
    }

    public KeyInfo {
        Objects.requireNonNull(technology, "technology");
        Objects.requireNonNull(id, "id");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
    }
}
