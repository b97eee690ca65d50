package org.mailslot.api.retrieval;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One stage of the inbound pipeline (a whiteboard service): decryption and verification, spam
 * scoring, ... Retrieval runs every registered processor in order of {@code service.ranking},
 * highest first, on each retrieved message, before the handlers see it.
 *
 * <p><b>Failure.</b> A processor that throws leaves the message stored locally and not yet handed
 * off; the stage is tried again later. A processor never drops a message. Thread-safe.
 */
@ConsumerType
public interface InboundProcessor {

    /** Optional service property naming the processor in logs and status. */
    String NAME = "mailslot.processor.name";

    /**
     * @param message the message as left by the processors before this one
     * @return the message to pass on (the same instance if unchanged)
     * @throws IOException if the message could not be read
     */
    RetrievedMessage process(RetrievedMessage message) throws IOException;
}
