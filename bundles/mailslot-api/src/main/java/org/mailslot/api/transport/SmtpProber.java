package org.mailslot.api.transport;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Looks at a host's SMTP ports the way the delivery client would, without sending mail: TCP
 * reachability, greeting, EHLO extensions, STARTTLS, the TLS negotiated and the certificate
 * with its verification. It never authenticates and never sends MAIL.
 *
 * <p>Thread-safe; {@link #probe} blocks until every port is probed or timed out.
 */
@ProviderType
public interface SmtpProber {

    /**
     * @param host a host name or address
     * @param ports the ports to probe; TLS is implicit on ports whose strategy says so
     * @param timeout the limit for each connection and each reply
     * @return one probe per port, in the order given
     */
    List<PortProbe> probe(String host, List<Integer> ports, Duration timeout);

    /**
     * Looks at a recipient domain as the MX route would deliver to it, without sending mail: its MX
     * hosts, the DNSSEC status of the MX and TLSA records, the TLS policy that applies, the domain's
     * MTA-STS policy, and for each MX host the certificate on port 25 and whether it matches the TLSA
     * records.
     *
     * @param domain a recipient domain
     * @param timeout the limit for each DNS query, connection and reply
     * @return what was found; a domain whose MX hosts cannot be found has none and says why
     * @throws UnsupportedOperationException if this prober has no MX route to ask
     */
    default MxProbe probeMx(String domain, Duration timeout) {
        throw new UnsupportedOperationException("this prober does not look at MX hosts");
    }
}
