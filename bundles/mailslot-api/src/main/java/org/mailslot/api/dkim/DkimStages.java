package org.mailslot.api.dkim;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The names mailslot-dkim's stages are registered under, which other bundles and operators match
 * on (a required stage, the order of the pipeline).
 *
 * @since 1.1
 */
@ProviderType
public final class DkimStages {

    /** The {@link org.mailslot.api.pipeline.MessageProcessor#NAME} of the stage that signs outbound mail. */
    public static final String SIGN = "dkim-sign";

    /**
     * The {@link org.mailslot.api.pipeline.MessageProcessor#NAME} of the stage that ARC-seals forwarded mail.
     *
     * @since 1.2
     */
    public static final String ARC_SEAL = "arc-seal";

    private DkimStages() {
    }
}
