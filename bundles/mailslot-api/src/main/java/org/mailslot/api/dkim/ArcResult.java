package org.mailslot.api.dkim;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** The state of a message's ARC chain (RFC 8617 section 4.4), as RFC 8601 names it ({@code arc=}). */
@ProviderType
public enum ArcResult {

    /** The message carries no ARC set. */
    NONE,
    /** Every ARC-Seal and the newest ARC-Message-Signature verify, and the chain is well formed. */
    PASS,
    /** The chain is broken: malformed, a seal or the newest message signature does not verify, or an intermediary said fail. */
    FAIL;

    /** @return the RFC 8601 keyword, e.g. {@code pass} */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
