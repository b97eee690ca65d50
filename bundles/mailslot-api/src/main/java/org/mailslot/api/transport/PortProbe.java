package org.mailslot.api.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What one port of a host looked like to {@link SmtpProber}.
 *
 * @param port the port
 * @param reachability whether a TCP connection was made
 * @param banner the server's greeting, or empty
 * @param extensionsBeforeTls the EHLO keywords with their parameters as the server listed them in
 *     clear, STARTTLS among them when offered; empty on an implicit-TLS port, or if no EHLO reply
 *     came in clear
 * @param extensions the EHLO keywords with their parameters of the connection as it ended up: after
 *     TLS when TLS was negotiated (implicitly or by STARTTLS), else the same as {@code
 *     extensionsBeforeTls}
 * @param starttlsOffered whether STARTTLS was in the EHLO reply before TLS
 * @param tls the TLS negotiated (implicit on the port, or by STARTTLS), if any
 * @param error what went wrong, if anything did: a step that timed out says {@code timed out}
 *     and which reply it waited for
 */
@ProviderType
public record PortProbe(int port, Reachability reachability, Optional<String> banner, List<String> extensionsBeforeTls,
        List<String> extensions, boolean starttlsOffered, Optional<TlsSession> tls, Optional<String> error) {

    /** Whether a TCP connection could be made. */
    @ProviderType
    public enum Reachability {
        /** Connected; what came after is in the other fields, a silent server's timeout in the error. */
        OPEN,
        /** The host refused the connection: nothing listens on the port. */
        REFUSED,
        /** No TCP connection within the timeout: a firewall dropping packets, or an overloaded server. */
        TIMED_OUT,
        /** The host name does not resolve, or there is no route to it. */
        UNREACHABLE
    }

    public PortProbe {
        Objects.requireNonNull(reachability, "reachability");
        Objects.requireNonNull(banner, "banner");
        extensionsBeforeTls = List.copyOf(extensionsBeforeTls);
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(error, "error");
    }

    /**
     * The form of version 1.0, which had no list before TLS: it is {@code extensions} when no TLS
     * was negotiated, else empty.
     */
    public PortProbe(int port, Reachability reachability, Optional<String> banner, List<String> extensions,
            boolean starttlsOffered, Optional<TlsSession> tls, Optional<String> error) {
        this(port, reachability, banner, tls.isPresent() ? List.of() : extensions, extensions, starttlsOffered, tls,
                error);
    }
}
