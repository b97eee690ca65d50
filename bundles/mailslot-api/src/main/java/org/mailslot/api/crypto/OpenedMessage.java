package org.mailslot.api.crypto;

import java.util.Objects;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What {@link MessageCrypto#open} made of a protected message. Immutable.
 *
 * @param content the message with its protection removed: the decrypted MIME entity (with the
 *     outer headers), or for a signed-only message the signed entity; unchanged if the message was
 *     not protected. Never a mixture of decrypted and unprotected parts.
 * @param decrypted true if the content was decrypted
 * @param verification the signature result, {@link VerificationStatus#NOT_SIGNED} without one
 * @param integrityChecked true if the decrypted content passed an integrity check of the encryption
 *     itself (OpenPGP MDC or AEAD, S/MIME AuthEnvelopedData); false if it was not decrypted, or was
 *     decrypted from a format without one (S/MIME EnvelopedData, AES-CBC), whose ciphertext may
 *     have been altered on the way unless a {@link VerificationStatus#VALID} signature covers it
 * @since 1.1
 */
@ProviderType
public record OpenedMessage(MessageSource content, boolean decrypted, Verification verification,
        boolean integrityChecked) {

    public OpenedMessage {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(verification, "verification");
        if (integrityChecked && !decrypted) {
            throw new IllegalArgumentException("only decrypted content can have passed an integrity check");
        }
    }

    /**
     * For providers of version 1.0: their decrypted content counts as not integrity-checked.
     */
    public OpenedMessage(MessageSource content, boolean decrypted, Verification verification) {
        this(content, decrypted, verification, false);
    }
}
