package org.mailslot.api.pipeline;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.transport.MessageSource;

/**
 * What a {@link MessageProcessor} decided: pass the message on (possibly transformed) or defer it.
 *
 * <p>A transformed envelope may change the reverse path and the MAIL parameters, and may keep
 * only some of the recipients it was given — not add any: the spool keeps state per recipient it
 * accepted. Recipients dropped from the envelope are neither delivered nor failed in this attempt
 * and are tried again later. Immutable.
 */
public final class ProcessingResult {

    private static final ProcessingResult PROCEED = new ProcessingResult(null, null, null);

    private final Envelope envelope;
    private final MessageSource message;
    private final String deferral;

    private ProcessingResult(Envelope envelope, MessageSource message, String deferral) {
        this.envelope = envelope;
        this.message = message;
        this.deferral = deferral;
    }

    /** @return pass the message on unchanged */
    public static ProcessingResult proceed() {
        return PROCEED;
    }

    /**
     * @param envelope the envelope to deliver with, or null to keep the one given
     * @param message the octets to deliver (RFC 5322, CRLF), or null to keep the ones given
     * @return pass on a transformed message
     */
    public static ProcessingResult proceed(Envelope envelope, MessageSource message) {
        return new ProcessingResult(envelope, message, null);
    }

    /**
     * @param reason why the message cannot go now, shown to operators as its last error; one line
     * @return keep the message in the spool and try again later
     */
    public static ProcessingResult defer(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new ProcessingResult(null, null, reason.isBlank() ? "deferred" : reason);
    }

    /** @return true if the message must stay in the spool for now */
    public boolean isDeferred() {
        return deferral != null;
    }

    /** @return the reason given to {@link #defer}, if deferred */
    public Optional<String> reason() {
        return Optional.ofNullable(deferral);
    }

    /** @return the transformed envelope, if the processor changed it */
    public Optional<Envelope> envelope() {
        return Optional.ofNullable(envelope);
    }

    /** @return the transformed octets, if the processor changed them */
    public Optional<MessageSource> message() {
        return Optional.ofNullable(message);
    }

    @Override
    public String toString() {
        return isDeferred() ? "defer(" + deferral + ")"
                : envelope == null && message == null ? "proceed" : "proceed(transformed)";
    }
}
