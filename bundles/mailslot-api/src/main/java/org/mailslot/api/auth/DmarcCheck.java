package org.mailslot.api.auth;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The DMARC evaluation of one message (RFC 7489 section 6.6). Immutable.
 *
 * @param fromDomain the domain of the RFC 5322 From field's mailbox, lower case; empty for
 *     {@link DmarcResult#PERMERROR}
 * @param organizationalDomain the From domain's organizational domain (public suffix plus one label)
 * @param result the result
 * @param policy the policy the domain publishes for this From domain ({@code sp=} for a subdomain
 *     when set, else {@code p=}); empty when there is no record
 * @param disposition what the receiver should do: the policy for a failing message selected by
 *     {@code pct=}, one step milder for one it did not select, {@link DmarcPolicy#NONE} otherwise
 * @param spfAligned whether SPF passed for a MAIL FROM domain aligned with the From domain
 * @param dkimAligned whether a DKIM signature of an aligned domain passed
 * @param reason one line for operators and header comments, never parsed
 */
@ProviderType
public record DmarcCheck(String fromDomain, String organizationalDomain, DmarcResult result,
        Optional<DmarcPolicy> policy, DmarcPolicy disposition, boolean spfAligned, boolean dkimAligned, String reason) {

    public DmarcCheck {
        fromDomain = fromDomain == null ? "" : fromDomain;
        organizationalDomain = organizationalDomain == null ? "" : organizationalDomain;
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(disposition, "disposition");
        reason = reason == null ? "" : reason;
    }

    /** @return whether the message passed DMARC */
    public boolean passed() {
        return result == DmarcResult.PASS;
    }
}
