package org.mailslot.transport.internal.delivery.policy;

import java.util.Objects;
import java.util.Optional;

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
 */
public record DestinationPolicy(String domain, TlsPolicyLevel level, String why, Optional<MtaStsPolicy> mtaSts) {

    public DestinationPolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(mtaSts, "mtaSts");
    }

    /** @return the policy as applied, with what became of it */
    public AppliedTlsPolicy applied(String result) {
        return new AppliedTlsPolicy(level, why, result);
    }
}
