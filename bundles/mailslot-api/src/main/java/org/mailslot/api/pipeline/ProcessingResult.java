package org.mailslot.api.pipeline;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.transport.MessageSource;

/**
 * What a {@link MessageProcessor} decided: pass the message on (possibly transformed), defer it,
 * or refuse it for good.
 *
 * <p>A transformed envelope may change the reverse path and the MAIL parameters, and may keep
 * only some of the recipients it was given — not add any: the spool keeps state per recipient it
 * accepted. Recipients dropped from the envelope are neither delivered nor failed in this attempt
 * and are tried again later. Immutable.
 */
public final class ProcessingResult {

    private static final ProcessingResult PROCEED = new ProcessingResult(null, null, null, null, null);
    private static final java.util.regex.Pattern PERMANENT_CODE = java.util.regex.Pattern.compile("5\\.\\d{1,3}\\.\\d{1,3}");

    private final Envelope envelope;
    private final MessageSource message;
    private final String deferral;
    private final String refusalCode;
    private final WaitReason waitReason;

    private ProcessingResult(Envelope envelope, MessageSource message, String deferral, String refusalCode,
            WaitReason waitReason) {
        this.envelope = envelope;
        this.message = message;
        this.deferral = deferral;
        this.refusalCode = refusalCode;
        this.waitReason = waitReason;
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
        return new ProcessingResult(envelope, message, null, null, null);
    }

    /**
     * @param reason why the message cannot go now, shown to operators as its last error; one line
     * @return keep the message in the spool and try again later
     */
    public static ProcessingResult defer(String reason) {
        return defer(WaitReason.DEFERRED_BY_PROCESSOR, reason);
    }

    /**
     * @param waitReason what the message waits for, such as {@link WaitReason#CRYPTO_KEY_OR_BUNDLE_MISSING}:
     *     the spool shows it and may decide on it
     * @param reason the same in words, shown to operators as its last error; one line
     * @return keep the message in the spool and try again later
     */
    public static ProcessingResult defer(WaitReason waitReason, String reason) {
        Objects.requireNonNull(waitReason, "waitReason");
        Objects.requireNonNull(reason, "reason");
        return new ProcessingResult(null, null, reason.isBlank() ? "deferred" : reason, null, waitReason);
    }

    /**
     * For a message that no later attempt could send as it is — one that policy forbids, not one
     * that waits for a key or a service (that is {@link #defer}). The spool fails every recipient of
     * the envelope the processor was given and reports them to the sender in a DSN.
     *
     * @param enhancedCode the RFC 3463 status, permanent: {@code 5.x.y}
     * @param reason why, for the operator and the DSN; one line
     * @return refuse the message for those recipients
     * @throws IllegalArgumentException if the code is not a permanent enhanced status code
     */
    public static ProcessingResult refuse(String enhancedCode, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (enhancedCode == null || !PERMANENT_CODE.matcher(enhancedCode).matches()) {
            throw new IllegalArgumentException("A refusal needs a permanent enhanced status code (5.x.y), not "
                    + enhancedCode);
        }
        return new ProcessingResult(null, null, reason.isBlank() ? "refused" : reason, enhancedCode, null);
    }

    /** @return true if the message must stay in the spool for now */
    public boolean isDeferred() {
        return deferral != null && refusalCode == null;
    }

    /** @return true if the message is refused for good: see {@link #refuse} */
    public boolean isRefused() {
        return refusalCode != null;
    }

    /** @return what a deferred message waits for, as given to {@link #defer(WaitReason, String)}; empty unless deferred */
    public Optional<WaitReason> waitReason() {
        return Optional.ofNullable(waitReason);
    }

    /** @return the enhanced status code given to {@link #refuse}, if refused */
    public Optional<String> refusalCode() {
        return Optional.ofNullable(refusalCode);
    }

    /** @return the reason given to {@link #defer} or {@link #refuse}, if deferred or refused */
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
        return isRefused() ? "refuse(" + refusalCode + " " + deferral + ")"
                : isDeferred() ? "defer(" + deferral + ")"
                : envelope == null && message == null ? "proceed" : "proceed(transformed)";
    }
}
