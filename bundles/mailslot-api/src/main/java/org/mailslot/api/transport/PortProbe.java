package org.mailslot.api.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one port of a host looked like to {@link SmtpProber}.
 *
 * @param port the port
 * @param reachability whether a TCP connection was made
 * @param banner the server's greeting, or empty
 * @param extensions the EHLO keywords with their parameters (after STARTTLS when it was used)
 * @param starttlsOffered whether STARTTLS was in the EHLO reply before TLS
 * @param tls the TLS negotiated (implicit on the port, or by STARTTLS), if any
 * @param error what went wrong, if anything did
 */
public record PortProbe(int port, Reachability reachability, Optional<String> banner, List<String> extensions,
        boolean starttlsOffered, Optional<TlsSession> tls, Optional<String> error) {

    /** Whether a TCP connection could be made. */
    public enum Reachability {
        OPEN,
        REFUSED,
        TIMED_OUT,
        UNREACHABLE
    }

    public PortProbe {
        Objects.requireNonNull(reachability, "reachability");
        Objects.requireNonNull(banner, "banner");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(error, "error");
    }
}
