package org.mailslot.api.pipeline;

import java.util.List;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.spool.WaitReason;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The outbound pipeline as the spool runs it, asked by a caller that would deliver a message
 * through the {@link org.mailslot.api.transport.MailTransport} without spooling it (the shell's
 * {@code mailslot:send --direct}): would any stage have to run first? And told by a stage when what
 * it deferred messages for has come ({@link #arrived}).
 *
 * <p>A stage has to run when it says so for the envelope ({@link MessageProcessor#needFor}, e.g. the
 * crypto policy for a recipient whose mail it encrypts or signs), or when the spool requires it for
 * every message ({@code pipeline.required}) and it is not running or cannot tell that this envelope
 * may skip it.
 *
 * <p><b>Lifecycle.</b> Registered by the spool while it runs; without it, which stages are required is
 * unknown, and a caller that fails closed does not deliver directly.
 *
 * <p><b>Threading.</b> Thread-safe.
 *
 * <p><b>Failure.</b> Fails closed: a stage that throws while answering is counted as required.
 */
@ProviderType
public interface OutboundPipeline {

    /**
     * @param envelope the reverse path and recipients of the message to be delivered
     * @return the stages that would have to run first, each with why; empty when the message may go
     *     to the transport directly
     */
    List<RequiredStage> requiredFor(Envelope envelope);

    /**
     * A stage, or the service a stage relies on (a crypto key store), tells the spool that what it
     * deferred messages for has come, such as the bundle or key behind
     * {@link WaitReason#CRYPTO_KEY_OR_BUNDLE_MISSING}: the messages whose last attempt left them
     * waiting for it are attempted now rather than after their backoff, and one whose attempt is under
     * way when that attempt ends, if it ends waiting for it. Call it once the stage can use what came.
     * Returns at once; the attempts run on the spool's workers.
     *
     * @param reason what the messages waited for
     * @since 1.4
     */
    void arrived(WaitReason reason);
}
