package org.mailslot.api.crypto;

import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the crypto policy did since it started, by technology, for monitoring: a {@code LongAdder}
 * increment per message. Registered by the crypto policy bundle; thread-safe.
 */
@ProviderType
public interface CryptoStatistics {

    /** @return the figures of every technology, in {@link CryptoTechnology} order */
    List<Figures> figures();

    /**
     * @param technology the technology
     * @param protectedMessages outbound copies signed or encrypted
     * @param protectFailures outbound copies the technology could not protect (they wait in the spool)
     * @param opened retrieved messages decrypted or verified
     * @param openFailures retrieved messages that could not be opened (handed on still protected)
     */
    @ProviderType
    record Figures(CryptoTechnology technology, long protectedMessages, long protectFailures, long opened,
            long openFailures) {

        public Figures {
            Objects.requireNonNull(technology, "technology");
        }
    }
}
