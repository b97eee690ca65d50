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
}
