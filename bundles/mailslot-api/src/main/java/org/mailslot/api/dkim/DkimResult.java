package org.mailslot.api.dkim;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** The outcome of one DKIM signature, as RFC 8601 names it in {@code Authentication-Results}. */
@ProviderType
public enum DkimResult {

    /** The signature verified against the published key. */
    PASS,
    /** The signature did not verify: body hash, header hash, or a signed header was changed. */
    FAIL,
    /** The signature could not be evaluated for a reason that is not an error of the signer (e.g. expired). */
    NEUTRAL,
    /** A temporary failure to get the key (DNS timeout, SERVFAIL): try again later, never treat as a pass. */
    TEMPERROR,
    /** A permanent error: a malformed signature, no or a bad key record, an unknown algorithm. */
    PERMERROR;

    /** @return the RFC 8601 keyword, e.g. {@code temperror} */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
