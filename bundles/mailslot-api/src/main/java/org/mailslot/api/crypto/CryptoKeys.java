package org.mailslot.api.crypto;

import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The key or certificate store of one technology, kept under {@code etc/mailslot/keys/}. Secret
 * material is stored protected by the passphrase from configuration. Registered with the service
 * property {@link MessageCrypto#TECHNOLOGY}; thread-safe.
 *
 * <p>Once keys are stored ({@link #importKeys}, {@link #generate}), the store tells the spool
 * ({@link org.mailslot.api.pipeline.OutboundPipeline#arrived} with
 * {@link org.mailslot.api.spool.WaitReason#CRYPTO_KEY_OR_BUNDLE_MISSING}), so that the mail the crypto
 * policy held for a missing key is tried at once, not after its backoff.
 */
@ProviderType
public interface CryptoKeys {

    /** @return the technology of this store */
    CryptoTechnology technology();

    /**
     * @param material the bytes of a file the operator gave
     * @return true if this store understands the material (armored or binary OpenPGP; PEM or DER
     *     certificates, PKCS#12)
     */
    boolean recognizes(byte[] material);

    /**
     * Imports public keys, secret keys, certificates or an identity, trusting nothing new as an
     * anchor: {@code importKeys(material, password, false)}.
     *
     * @param material armored or binary OpenPGP keys; PEM or DER X.509 certificates; PKCS#12
     * @param password the password of a PKCS#12 file or protected secret key, or null
     * @return what was imported or updated
     * @throws CryptoException with {@link CryptoException.Reason#MALFORMED} or
     *     {@link CryptoException.Reason#LOCKED}; nothing is stored then
     */
    default List<KeyInfo> importKeys(byte[] material, char[] password) throws CryptoException {
        return importKeys(material, password, false);
    }

    /**
     * Imports public keys, secret keys, certificates or an identity.
     *
     * @param material armored or binary OpenPGP keys; PEM or DER X.509 certificates; PKCS#12
     * @param password the password of a PKCS#12 file or protected secret key, or null
     * @param trustAnchors for a store that judges signatures by paths to trust anchors (S/MIME): make
     *     the CA and self-signed certificates of the material trust anchors, which is the operator's
     *     explicit decision and never a side effect of importing a certificate. A store without
     *     anchors (OpenPGP, whose imported certificates are themselves what it trusts) refuses
     *     {@code true}.
     * @return what was imported or updated
     * @throws CryptoException with {@link CryptoException.Reason#MALFORMED} or
     *     {@link CryptoException.Reason#LOCKED}; nothing is stored then
     * @throws IllegalArgumentException if {@code trustAnchors} is true and the store has no anchors
     * @since 1.1
     */
    List<KeyInfo> importKeys(byte[] material, char[] password, boolean trustAnchors) throws CryptoException;

    /** @return every key or certificate held, ordered by first address then id */
    List<KeyInfo> list();

    /**
     * @param idOrAddress a full id, an unambiguous id prefix of at least 8 hex digits, or an address
     * @return the matching keys
     */
    List<KeyInfo> find(String idOrAddress);

    /**
     * @param id a full id
     * @return true if a key was removed
     */
    boolean remove(String id);

    /**
     * Generates one of our identities: an OpenPGP key (Ed25519 signing, Cv25519 encryption) or a
     * self-issued S/MIME certificate with its private key.
     *
     * @param address the address to bind
     * @return the new key
     * @throws CryptoException if it cannot be stored
     */
    KeyInfo generate(MailAddress address) throws CryptoException;

    /**
     * @param id a full id
     * @return the public part, armored (OpenPGP) or PEM (certificate), for giving to correspondents
     */
    Optional<String> exportPublic(String id);
}
