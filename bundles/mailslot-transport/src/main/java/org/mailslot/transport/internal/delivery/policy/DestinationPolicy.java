package org.mailslot.transport.internal.delivery.policy;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.transport.AppliedTlsPolicy;
import org.mailslot.api.transport.TlsPolicyLevel;

/**
 * The TLS policy decided for one recipient domain, before its MX hosts are looked at.
 *
 * @param domain the recipient domain
 * @param level the level to apply
 * @param why where the level came from, as the log line and {@code mailslot:queue} say it
 * @param mtaSts the domain's MTA-STS policy, when it publishes one (with {@link TlsPolicyLevel#MTA_STS},
 *     and for reporting under any other level)
 * @param stsFailure why the MTA-STS policy the domain publishes could not be had, when it could not: each
 *     session to the domain is reported as failed for it (RFC 8460 section 4.3.2.3)
 */
public record DestinationPolicy(String domain, TlsPolicyLevel level, String why, Optional<MtaStsPolicy> mtaSts,
        Optional<TlsResultType> stsFailure) {

    public DestinationPolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(stsFailure, "stsFailure");
    }

    public DestinationPolicy(String domain, TlsPolicyLevel level, String why, Optional<MtaStsPolicy> mtaSts) {
        this(domain, level, why, mtaSts, Optional.empty());
    }

    /** @return the policy as applied, with what became of it */
    public AppliedTlsPolicy applied(String result) {
        return new AppliedTlsPolicy(level, why, result);
    }
}
