package org.mailslot.transport.internal.delivery.mx;

import java.util.List;

/** Finds the hosts that accept mail for a domain (RFC 5321 section 5). Thread-safe. */
public interface MxResolver {

    /**
     * @param domain a recipient domain (an A-label or U-label name, not an address literal)
     * @return the hosts in the order to try: by preference, equal preferences shuffled; the
     *     domain itself when it has no MX record but has addresses
     * @throws MxLookupException if the domain accepts no mail or the lookup failed
     */
    List<MxHost> resolve(String domain) throws MxLookupException;
}
