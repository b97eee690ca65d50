package org.mailslot.api.dkim;

import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdicts on a message's DKIM signatures and on its ARC chain, from one reading of the message.
 * Immutable.
 *
 * @param dkim one result per {@code DKIM-Signature} field
 * @param arc the ARC chain's verdict, {@link ArcResult#NONE} without ARC sets
 * @since 1.3
 */
@ProviderType
public record MessageSignatures(DkimVerification dkim, ArcVerification arc) {

    public MessageSignatures {
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(arc, "arc");
    }

    /** @return the verdicts on a message with neither DKIM signatures nor ARC sets */
    public static MessageSignatures none() {
        return new MessageSignatures(new DkimVerification(List.of()), new ArcVerification(ArcResult.NONE, 0,
                "", ""));
    }
}
