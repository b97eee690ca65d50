package org.mailslot.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The names mailslot-crypto's stages are registered under, which other bundles and operators
 * match on (a required stage, a service filter).
 *
 * @since 1.3
 */
@ProviderType
public final class CryptoStages {

    /**
     * The outbound policy: the {@link org.mailslot.api.pipeline.MessageProcessor#NAME} of the stage
     * that encrypts and signs by the configured rules and reads {@link ProtectRequest#HEADER}.
     */
    public static final String POLICY = "crypto-policy";

    /**
     * Decryption and verification of retrieved mail: the
     * {@link org.mailslot.api.retrieval.InboundProcessor#NAME} of the stage that opens protected
     * messages before any handler sees them.
     */
    public static final String OPEN = "crypto-open";

    private CryptoStages() {
    }
}
