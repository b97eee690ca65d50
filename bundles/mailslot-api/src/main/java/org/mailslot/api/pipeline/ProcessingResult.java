package org.mailslot.api.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.spool.WaitReason;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link MessageProcessor} decided: pass the message on (possibly transformed), defer it,
 * or refuse it for good.
 *
 * <p>A transformed envelope may change the reverse path and the MAIL parameters, and may keep
 * only some of the recipients it was given — not add any: the spool keeps state per recipient it
 * accepted. Recipients dropped from the envelope are neither delivered nor failed in this attempt
 * and are tried again later. A processor may also pass on {@linkplain #proceed(List) several copies},
 * each with its own recipients (one per group that must get different octets): the spool delivers
 * all of them in the same attempt, and later processors see each copy on its own. Immutable.
 */
@ProviderType
public final class ProcessingResult {

    private static final ProcessingResult PROCEED = new ProcessingResult(null, null, null, null, null, List.of());
    private static final java.util.regex.Pattern PERMANENT_CODE = java.util.regex.Pattern.compile("5\\.\\d{1,3}\\.\\d{1,3}");

    private final Envelope envelope;
    private final MessageSource message;
    private final String deferral;
    private final String refusalCode;
    private final WaitReason waitReason;
    private final List<Copy> copies;

    /**
     * One copy of the message and the recipients it goes to.
     *
     * @param envelope the envelope for this copy: the recipients it is for, of those the processor was given
     * @param message the octets of this copy (RFC 5322, CRLF)
     */
    @ProviderType
    public record Copy(Envelope envelope, MessageSource message) {

        public Copy {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(message, "message");
        }
    }

    private ProcessingResult(Envelope envelope, MessageSource message, String deferral, String refusalCode,
            WaitReason waitReason, List<Copy> copies) {
        this.copies = copies;
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
        return new ProcessingResult(envelope, message, null, null, null, List.of());
    }

    /**
     * @param copies the copies to deliver in this attempt, at least one; no recipient in two of them
     * @return pass on several copies, each to its own recipients
     * @throws IllegalArgumentException if there is no copy, or a recipient is in more than one
     */
    public static ProcessingResult proceed(List<Copy> copies) {
        List<Copy> given = List.copyOf(copies);
        if (given.isEmpty()) {
            throw new IllegalArgumentException("proceed needs at least one copy");
        }
        Set<MailAddress> seen = new HashSet<>();
        for (Copy copy : given) {
            for (Recipient recipient : copy.envelope().recipients()) {
                if (!seen.add(recipient.address())) {
                    throw new IllegalArgumentException("Recipient " + recipient.address() + " is in more than one copy");
                }
            }
        }
        return given.size() == 1 ? proceed(given.get(0).envelope(), given.get(0).message())
                : new ProcessingResult(null, null, null, null, null, given);
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
        return new ProcessingResult(null, null, reason.isBlank() ? "deferred" : reason, null, waitReason, List.of());
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
        return new ProcessingResult(null, null, reason.isBlank() ? "refused" : reason, enhancedCode, null, List.of());
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

    /**
     * @return the copies given to {@link #proceed(List)} when there are two or more; empty for any
     *     other result (one copy is {@link #envelope()} and {@link #message()})
     */
    public List<Copy> copies() {
        return copies;
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
                : !copies.isEmpty() ? "proceed(" + copies.size() + " copies)"
                : envelope == null && message == null ? "proceed" : "proceed(transformed)";
    }
}
