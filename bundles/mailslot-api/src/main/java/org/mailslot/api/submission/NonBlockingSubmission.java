package org.mailslot.api.submission;

import org.mailslot.api.mail.Envelope;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link MailSubmission} whose storage takes small messages without blocking, so that an event
 * loop (an SMTP listener's) may hand a message over itself instead of passing each step to a
 * worker thread. A store that commits in groups may provide it; a caller finds it by testing the
 * {@code MailSubmission} service it holds ({@code instanceof}) and otherwise uses the blocking
 * contract.
 *
 * <p><b>Threading.</b> {@link #begin}, and {@link MessageWriter#write} and
 * {@link NonBlockingWriter#commitAsync} for a message of at most {@link #SMALL_MESSAGE} octets,
 * return without waiting for storage. A larger message's writes and commit may block as
 * {@link MailSubmission}'s do.
 *
 * @since 2.0
 */
@ProviderType
public interface NonBlockingSubmission extends MailSubmission {

    /** The size in octets up to which a message is small: held in memory and committed without blocking. */
    int SMALL_MESSAGE = 128 * 1024;

    /**
     * As {@link MailSubmission#begin}, without waiting for storage.
     *
     * @return a writer whose commit can also be asked for without waiting
     */
    @Override
    NonBlockingWriter begin(Envelope envelope) throws SubmissionException;
}
