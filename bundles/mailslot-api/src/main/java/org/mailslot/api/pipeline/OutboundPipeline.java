package org.mailslot.api.pipeline;

import java.util.List;

import org.mailslot.api.mail.Envelope;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The outbound pipeline as the spool runs it, asked by a caller that would deliver a message
 * through the {@link org.mailslot.api.transport.MailTransport} without spooling it (the shell's
 * {@code mailslot:send --direct}): would any stage have to run first?
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
}
