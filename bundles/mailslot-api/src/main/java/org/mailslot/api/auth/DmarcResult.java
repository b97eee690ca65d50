package org.mailslot.api.auth;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** The DMARC result of a message (RFC 7489), as RFC 8601 names it in {@code Authentication-Results}. */
@ProviderType
public enum DmarcResult {

    /** The From domain (and its organizational domain) publishes no DMARC record. */
    NONE,
    /** SPF or DKIM passed for a domain aligned with the From domain. */
    PASS,
    /** Neither SPF nor DKIM passed aligned with the From domain. */
    FAIL,
    /**
     * A lookup got no answer: the DMARC record's, or an SPF or DKIM one that could have made the
     * message pass. Try again later; never treated as a pass.
     */
    TEMPERROR,
    /** The message cannot be evaluated: not exactly one From field with one mailbox in a domain. */
    PERMERROR;

    /** @return the RFC 8601 keyword, e.g. {@code fail} */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
