package org.mailslot.api.pipeline;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A pipeline stage that would have to run before a message is delivered, and why.
 *
 * @param stage the stage's {@value MessageProcessor#NAME}
 * @param reason why it cannot be skipped, one line for the operator
 */
@ProviderType
public record RequiredStage(String stage, String reason) {

    public RequiredStage {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
    }
}
