package org.mailslot.api.crypto;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Protects and opens whole MIME messages with one technology. Registered with the service property
 * {@link #TECHNOLOGY}; thread-safe.
 *
 * <p>Input and output are RFC 5322 octets with CRLF line endings. The outer headers of a protected
 * message (From, To, Cc, Date, Subject, Message-ID, ...) are kept; the content headers describe the
 * protection.
 */
@ProviderType
public interface MessageCrypto {

    /** Service property: the technology's {@link CryptoTechnology#configName()}. */
    String TECHNOLOGY = "mailslot.crypto.technology";

    /** @return the technology this service implements */
    CryptoTechnology technology();

    /**
     * @param recipients the addresses a message would be encrypted to
     * @return those of them for which no usable encryption key or certificate is known; empty if
     *     the message can be encrypted to all
     */
    Set<MailAddress> missingEncryptionKeys(Collection<MailAddress> recipients);

    /** @return true if a usable secret signing key or certificate for this sender is held */
    boolean canSign(MailAddress sender);

    /**
     * @param sender the From address, which the caller has established as the submitter's own;
     *     its key signs, and with encryption it is also a recipient when a key for it is known.
     *     Null only when the protection does not sign: then no copy is encrypted for a sender
     * @param recipients the addresses to encrypt to (ignored for {@link Protection#SIGN})
     * @param protection what to apply
     * @param message the message to protect
     * @return the protected message
     * @throws CryptoException with {@link CryptoException.Reason#NO_KEY} if a key is missing for
     *     a recipient or the sender; nothing is produced then
     * @throws IOException if the message cannot be read
     * @throws IllegalArgumentException if the sender is null and the protection signs
     */
    MessageSource protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection,
            MessageSource message) throws CryptoException, IOException;

    /**
     * @param message a message as received
     * @return true if its MIME root is protected with this technology (so {@link #open} applies)
     * @throws IOException if the message cannot be read
     */
    boolean isProtected(MessageSource message) throws IOException;

    /**
     * Decrypts and verifies a message whose MIME root is protected with this technology. A
     * signature is checked against the message's From address.
     *
     * @param message a message as received
     * @return the opened message with its verification result
     * @throws CryptoException if it cannot be decrypted; no plaintext is released then
     * @throws IOException if the message cannot be read
     */
    OpenedMessage open(MessageSource message) throws CryptoException, IOException;
}
