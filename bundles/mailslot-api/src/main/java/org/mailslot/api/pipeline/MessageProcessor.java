package org.mailslot.api.pipeline;

import java.io.IOException;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One stage of the outbound pipeline, contributed as a service (whiteboard). Before each delivery
 * attempt the spool runs every registered processor in order of {@code service.ranking}, highest
 * first, each one seeing the output of the one before.
 *
 * <p><b>Lifecycle.</b> Processors come and go with their bundles. A message is processed anew for
 * every delivery attempt, by the processors registered at that moment; a processor that must not
 * be skipped (an encryption policy) makes its absence safe by deferring in a processor that stays.
 *
 * <p><b>Threading.</b> Called concurrently for different messages; implementations must be
 * thread-safe and should not block for long.
 *
 * <p><b>Failure.</b> Fail closed: a processor that throws defers the message, which stays in the
 * spool with the exception's message as its last error and is tried again after the usual
 * backoff. A processor never drops a message.
 */
@ConsumerType
public interface MessageProcessor {

    /**
     * Service property naming the processor in the spool's last error and in logs; optional, the
     * implementation class name is used without it.
     */
    String NAME = "mailslot.processor.name";

    /**
     * Processes one message before delivery.
     *
     * @param envelope the envelope, holding only the recipients still to be delivered
     * @param message the message octets as left by the processors before this one
     * @return {@link ProcessingResult#proceed()} to pass the message on unchanged,
     *     {@link ProcessingResult#proceed(Envelope, MessageSource)} to pass on a transformed one,
     *     or {@link ProcessingResult#defer(String)} to keep it in the spool for now
     * @throws IOException if the message could not be read; the message is deferred
     */
    ProcessingResult process(Envelope envelope, MessageSource message) throws IOException;

    /**
     * Whether a message with this envelope may be delivered without this stage: asked by a caller
     * that would hand it to the transport directly ({@link OutboundPipeline}), never by the spool,
     * which always runs every stage. Must not block or read a message.
     *
     * @param envelope the reverse path and recipients
     * @return {@link StageNeed#needed} with the reason when skipping this stage would break one of its
     *     rules for these recipients, {@link StageNeed#notNeeded()} when it would not; the default,
     *     {@link StageNeed#unknown()}, counts as needed for a stage the spool requires
     */
    default StageNeed needFor(Envelope envelope) {
        return StageNeed.unknown();
    }
}
