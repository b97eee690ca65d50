package org.mailslot.api.crypto;

import java.util.Objects;

import org.mailslot.api.transport.MessageSource;

/**
 * What {@link MessageCrypto#open} made of a protected message. Immutable.
 *
 * @param content the message with its protection removed: the decrypted MIME entity (with the
 *     outer headers), or for a signed-only message the signed entity; unchanged if the message was
 *     not protected. Never a mixture of decrypted and unprotected parts.
 * @param decrypted true if the content was decrypted
 * @param verification the signature result, {@link VerificationStatus#NOT_SIGNED} without one
 */
public record OpenedMessage(MessageSource content, boolean decrypted, Verification verification) {

    public OpenedMessage {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(verification, "verification");
    }
}
