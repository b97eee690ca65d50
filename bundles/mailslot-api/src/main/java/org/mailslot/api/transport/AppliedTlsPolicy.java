package org.mailslot.api.transport;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The TLS policy a delivery applied to a recipient's destination, why that one, and what became of
 * it: what the delivery's log line and {@code mailslot:queue} show.
 *
 * @param level the policy level applied
 * @param why where the level came from, one line (a configured entry, a published MTA-STS policy,
 *     the default, DNSSEC-validated TLSA records)
 * @param result what the policy found, one line: {@code dane-verified (TLSA 3 1 1 matched mx.example)},
 *     {@code no usable TLSA: opportunistic TLS}, {@code the certificate matched none of 2 TLSA records}
 */
@ProviderType
public record AppliedTlsPolicy(TlsPolicyLevel level, String why, String result) {

    public AppliedTlsPolicy {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(result, "result");
    }

    /** @return the policy as one log fragment: {@code tls-policy=dane (why): result} */
    @Override
    public String toString() {
        return "tls-policy=" + level.configName() + " (" + why + "): " + result;
    }
}
