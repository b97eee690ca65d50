package org.mailslot.api.dkim;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdict on a message's ARC chain. Immutable.
 *
 * @param result the chain's state
 * @param instances the number of ARC sets (the highest {@code i=}), 0 for none
 * @param sealer the {@code d=} of the newest ARC-Seal, empty for none
 * @param reason one line for operators and header comments, never parsed; empty for a pass
 */
@ProviderType
public record ArcVerification(ArcResult result, int instances, String sealer, String reason) {

    public ArcVerification {
        Objects.requireNonNull(result, "result");
        sealer = sealer == null ? "" : sealer;
        reason = reason == null ? "" : reason;
    }
}
