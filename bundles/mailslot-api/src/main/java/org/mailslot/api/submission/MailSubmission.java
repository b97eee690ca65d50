package org.mailslot.api.submission;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import org.mailslot.api.mail.Envelope;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Accepts a message for delivery from a bundle in the same container.
 *
 * <p><b>Lifecycle.</b> The service is registered while a spool is able to store mail; it goes
 * away when the spool stops, so a caller that holds it only while it is registered (a DS
 * reference) never submits into the void.
 *
 * <p><b>Threading.</b> Thread-safe; calls may run concurrently. {@link #submit} blocks until the
 * message is durably stored or refused.
 *
 * <p><b>Failure.</b> The contract is the one a 250 reply makes: when {@code submit} returns, the
 * message and its envelope are on stable storage and will be delivered or bounced, across
 * crashes and restarts. When it throws, nothing was accepted and the caller still owns the
 * message; {@link SubmissionException#isTemporary()} tells whether trying again later can help.
 * A storage that takes small messages without blocking says so by providing
 * {@link NonBlockingSubmission}.
 */
@ProviderType
public interface MailSubmission {

    /**
     * Stores a message for delivery.
     *
     * @param envelope the reverse path and recipients
     * @param message the message as RFC 5322 octets with CRLF line endings; read to its end but
     *     not closed
     * @return the receipt, once the message is durable
     * @throws SubmissionException if the message was not accepted; nothing was stored
     */
    default SubmissionReceipt submit(Envelope envelope, InputStream message) throws SubmissionException {
        try (MessageWriter writer = begin(envelope)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = message.read(buffer); n >= 0; n = message.read(buffer)) {
                writer.write(buffer, 0, n);
            }
            return writer.commit();
        } catch (IOException e) {
            throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                    "Could not read the message: " + e.getMessage(), e);
        }
    }

    /**
     * Starts receiving a message, for senders that get it in pieces (an SMTP DATA phase): the
     * octets go straight to storage, and {@link MessageWriter#commit()} gives the receipt.
     *
     * @param envelope the reverse path and recipients
     * @return a writer; close it in every case
     * @throws SubmissionException if no message can be accepted now (storage full, shutting down)
     */
    MessageWriter begin(Envelope envelope) throws SubmissionException;

    /**
     * The domains whose mail this service delivers into local mailboxes. An SMTP listener that is
     * not told otherwise lets clients that have not authenticated send to these domains only, so
     * that what it accepts from anyone and what stays here are one list.
     *
     * @return the domains in lower case; empty if nothing is delivered locally
     */
    default Set<String> localDomains() {
        return Set.of();
    }

    /**
     * @return who may receive mail in {@link #localDomains()}; by default every address (as before
     *     1.3), the spool answers from its {@code local.recipients} and mailbox size limit
     * @since 1.3
     */
    default LocalRecipients localRecipients() {
        return LocalRecipients.ANY;
    }
}
