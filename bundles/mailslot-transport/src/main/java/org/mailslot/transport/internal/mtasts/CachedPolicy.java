package org.mailslot.transport.internal.mtasts;

import java.time.Instant;
import java.util.Objects;

import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;

/**
 * A policy as a sender keeps it: with the id its TXT record had and when it was fetched, which
 * with its max_age says until when it applies even if its domain can no longer be asked.
 *
 * @param domain the policy domain, lower case A-labels
 * @param id the id of the TXT record the policy was fetched for
 * @param policy the policy
 * @param fetched when it was fetched
 */
public record CachedPolicy(String domain, String id, StsPolicy policy, Instant fetched) {

    public CachedPolicy {
        Objects.requireNonNull(domain, "domain");
        new StsRecord(id);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fetched, "fetched");
    }

    /** @return the policy as delivery applies it */
    public MtaStsPolicy applied() {
        return policy.withId(id);
    }

    /** @return when the policy stops applying unless fetched again */
    public Instant expires() {
        return fetched.plus(policy.maxAge());
    }

    /** @return whether it applies at the instant */
    public boolean validAt(Instant now) {
        return now.isBefore(expires());
    }
}
