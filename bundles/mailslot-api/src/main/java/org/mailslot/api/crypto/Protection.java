package org.mailslot.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/** What to apply to an outgoing message. */
@ProviderType
public enum Protection {
    /** Sign only: the message stays readable, with a detached signature (multipart/signed). */
    SIGN,
    /** Encrypt only, to every recipient (and to the sender's own key where the store has one). */
    ENCRYPT,
    /** Sign, then encrypt the signed message. */
    SIGN_AND_ENCRYPT;

    /** @return true if this protection includes a signature */
    public boolean signs() {
        return this != ENCRYPT;
    }

    /** @return true if this protection includes encryption */
    public boolean encrypts() {
        return this != SIGN;
    }
}
