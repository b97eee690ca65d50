package org.mailslot.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/** The outcome of checking a signature, decided from the cryptography and never from text. */
@ProviderType
public enum VerificationStatus {
    /** The message carries no signature that covers it as a whole. */
    NOT_SIGNED,
    /** The signature is good, by a known and currently valid key or certificate matching the From address. */
    VALID,
    /** The signature does not match the content (tampered) or is malformed. */
    INVALID,
    /** The signature is by a key or certificate we do not have or cannot chain to a trusted anchor. */
    UNKNOWN_KEY,
    /** The signature is good but the signer's addresses do not include the message's From address. */
    SIGNER_MISMATCH,
    /** The signature is good but the key or certificate had expired when it was made, or has now. */
    EXPIRED,
    /** The signature is good but the key or certificate is revoked. */
    REVOKED;

    /** @return true only for {@link #VALID} */
    public boolean isTrusted() {
        return this == VALID;
    }
}
