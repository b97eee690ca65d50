package org.mailslot.api.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outcome of one TLS session MX delivery attempted with a host of a recipient domain, or of one
 * host its policy refused before connecting: what an RFC 8460 report counts. Immutable.
 *
 * @param at when
 * @param policyDomain the recipient domain, lower case A-labels
 * @param policyType the policy the session was held to
 * @param policyStrings the policy as the report shows it: the MTA-STS policy's lines, or the host's
 *     TLSA records ({@code 3 1 1 ab12...}); empty for {@link TlsPolicyType#NO_POLICY_FOUND}
 * @param mxPatterns the report's {@code mx-host}: the MTA-STS policy's patterns, or the MX host for TLSA;
 *     empty for {@link TlsPolicyType#NO_POLICY_FOUND}
 * @param mxHost the MX host name the session was with (or was refused)
 * @param receivingIp its address, empty when no connection was made
 * @param sendingIp our address, empty when not known
 * @param failure why the session failed; empty for a successful one
 * @param reason a short code saying more of the failure (the report's {@code failure-reason-code}); empty if none
 */
@ProviderType
public record TlsSessionResult(Instant at, String policyDomain, TlsPolicyType policyType, List<String> policyStrings,
        List<String> mxPatterns, String mxHost, String receivingIp, String sendingIp, Optional<TlsResultType> failure,
        String reason) {

    public TlsSessionResult {
        Objects.requireNonNull(at, "at");
        policyDomain = Objects.requireNonNull(policyDomain, "policyDomain").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(policyType, "policyType");
        policyStrings = List.copyOf(policyStrings);
        mxPatterns = List.copyOf(mxPatterns);
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(receivingIp, "receivingIp");
        Objects.requireNonNull(sendingIp, "sendingIp");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return whether the session succeeded */
    public boolean successful() {
        return failure.isEmpty();
    }
}
