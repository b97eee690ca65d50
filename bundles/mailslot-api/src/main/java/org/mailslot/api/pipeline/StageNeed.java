package org.mailslot.api.pipeline;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A stage's answer to whether a message may be delivered without it, given by
 * {@link MessageProcessor#needFor} to a caller that would hand the message to the transport
 * directly instead of spooling it. Immutable.
 *
 * @param kind the answer
 * @param reason why the stage is needed, for the operator; empty unless {@link Kind#NEEDED}
 */
@ProviderType
public record StageNeed(Kind kind, String reason) {

    /** The answers a stage can give. */
    @ProviderType
    public enum Kind {
        /** Delivering without the stage breaks none of its rules for this envelope. */
        NOT_NEEDED,
        /** The stage must see the message first; {@link StageNeed#reason()} says why. */
        NEEDED,
        /** The stage cannot tell; a stage the spool requires for every message then counts as needed. */
        UNKNOWN
    }

    private static final StageNeed NOT_NEEDED = new StageNeed(Kind.NOT_NEEDED, "");
    private static final StageNeed UNKNOWN = new StageNeed(Kind.UNKNOWN, "");

    public StageNeed {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (kind == Kind.NEEDED && reason.isBlank()) {
            throw new IllegalArgumentException("A needed stage says why");
        }
        if (kind != Kind.NEEDED && !reason.isEmpty()) {
            throw new IllegalArgumentException("Only a needed stage gives a reason");
        }
    }

    /** @return delivering without the stage breaks none of its rules */
    public static StageNeed notNeeded() {
        return NOT_NEEDED;
    }

    /**
     * @param reason why, one line naming the rule and the recipient, e.g. "encrypt=required for bob@example.org"
     * @return the stage must see the message before it is delivered
     */
    public static StageNeed needed(String reason) {
        return new StageNeed(Kind.NEEDED, reason);
    }

    /** @return the stage cannot tell */
    public static StageNeed unknown() {
        return UNKNOWN;
    }
}
