package org.mailslot.transport.internal.delivery.policy;

import java.util.Optional;

import org.mailslot.api.tlsrpt.TlsResultType;

/**
 * The MTA-STS policies domains publish (RFC 8461), as the TLS policy decision asks for them
 * ({@link TlsPolicies}). An implementation fetches, caches and refreshes them itself; a delivery
 * thread asks once per recipient domain and attempt, so an answer should come from a cache.
 *
 * <p>Thread-safe. Failure: a policy that cannot be fetched and is not cached is no policy (RFC 8461
 * section 5: the sender then delivers as without one); the method never throws for it.
 */
@FunctionalInterface
public interface MtaStsPolicies {

    /** No domain publishes a policy: until an MTA-STS implementation is there. */
    MtaStsPolicies NONE_PUBLISHED = domain -> Optional.empty();

    /**
     * @param domain a recipient domain, lower case A-labels
     * @return the policy in force for it (a cached one, while its {@code max_age} lasts), or empty
     *     if it publishes none
     */
    Optional<MtaStsPolicy> policyOf(String domain);

    /**
     * @param domain a recipient domain, lower case A-labels
     * @return why the policy the domain publishes could not be had ({@code sts-policy-fetch-error},
     *     {@code sts-policy-invalid}, {@code sts-webpki-invalid}), while {@link #policyOf} is empty for it
     */
    default Optional<TlsResultType> fetchFailure(String domain) {
        return Optional.empty();
    }
}
