package org.mailslot.api.dkim;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the DNS publishes for a configured key, compared with the key. Immutable.
 *
 * @param key the configured key
 * @param outcome the comparison
 * @param published the TXT record found, empty if none
 * @param detail one line saying why, for operators
 */
@ProviderType
public record DkimKeyCheck(DkimKey key, Outcome outcome, String published, String detail) {

    /** How the published record relates to the key. */
    @ProviderType
    public enum Outcome {
        /** The record publishes this key's public key. */
        MATCHES,
        /** A record is published, but for another key (or another key type). */
        DIFFERS,
        /** No record is published at the name (NXDOMAIN or no TXT record). */
        NOT_PUBLISHED,
        /** The record is there but is not a valid DKIM key record. */
        INVALID,
        /** DNS did not answer (timeout, SERVFAIL): try again. */
        LOOKUP_FAILED,
        /** The configured key itself cannot be read. */
        KEY_UNUSABLE
    }

    public DkimKeyCheck {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        published = published == null ? "" : published;
        detail = detail == null ? "" : detail;
    }
}
