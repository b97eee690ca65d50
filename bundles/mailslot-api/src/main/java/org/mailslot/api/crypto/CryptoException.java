package org.mailslot.api.crypto;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/** A message could not be protected or opened; no plaintext of it was released. */
@ProviderType
public class CryptoException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why, so that policy can decide without parsing the message. */
    @ProviderType
    public enum Reason {
        /** No usable (present, unexpired, unrevoked, encryption- or signing-capable) key or certificate. */
        NO_KEY,
        /** We hold no secret key the message is encrypted to. */
        NOT_FOR_US,
        /** The ciphertext failed its integrity check (MDC, AEAD tag, GCM tag) or was modified. */
        INTEGRITY_FAILURE,
        /** The data is not integrity-protected (OpenPGP SED, legacy formats) and is refused. */
        UNPROTECTED_DATA,
        /** A limit was exceeded: decompressed size, nesting depth, message size. */
        LIMIT_EXCEEDED,
        /** The message or key material is malformed, or the protected part is not the MIME root. */
        MALFORMED,
        /** The secret material could not be unlocked (wrong or missing passphrase). */
        LOCKED
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why */
    public Reason reason() {
        return reason;
    }
}
