package org.mailslot.transport.internal.delivery.mx;

import java.util.List;
import java.util.Objects;

/**
 * One host that accepts mail for a domain, with its addresses.
 *
 * @param name the host name (without the trailing dot): what its certificate is checked against
 * @param preference the MX preference, lower first; 0 for the implicit MX of RFC 5321 section 5
 * @param addresses its IPv4 and IPv6 addresses, as text, in the order to try
 */
public record MxHost(String name, int preference, List<String> addresses) {

    public MxHost {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }
}
