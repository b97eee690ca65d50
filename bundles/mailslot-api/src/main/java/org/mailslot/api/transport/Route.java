package org.mailslot.api.transport;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where mail for some recipient domains goes.
 *
 * <p>A {@link Kind#RELAY relay} route sends everything to one smarthost, trying its ports in
 * order (by default 587, 465, 2525), each under the port strategy registered for it. The
 * {@link Kind#MX MX} route looks up each recipient domain's MX hosts (with the A/AAAA fallback of
 * RFC 5321 section 5) and speaks to them on port 25.
 *
 * @param name the route's name: the NAME of its {@code org.mailslot.relay~NAME} configuration,
 *     or {@value #MX_NAME} for the MX route
 * @param kind relay or MX
 * @param host the smarthost for a relay route; empty for the MX route
 * @param ports the ports to try, in order
 * @param domains the recipient domains the route serves, lower case; {@code *} for the default
 *     route
 * @param authenticated whether the route has credentials to send (never in clear)
 * @param connectTimeout how long to wait for a TCP connection and the greeting
 * @param readTimeout how long to wait for any reply
 */
@ProviderType
public record Route(String name, Kind kind, String host, List<Integer> ports, Set<String> domains,
        boolean authenticated, Duration connectTimeout, Duration readTimeout) {

    /** The name of the MX route. */
    public static final String MX_NAME = "mx";

    /** The domain pattern of a default route. */
    public static final String ANY_DOMAIN = "*";

    /** What kind of next hop a route has. */
    @ProviderType
    public enum Kind {
        /** A configured smarthost. */
        RELAY,
        /** The recipient domain's MX hosts. */
        MX
    }

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        ports = List.copyOf(ports);
        domains = Set.copyOf(domains);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("Route " + name + " has no ports");
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Route " + name + ": port " + port + " is not between 1 and 65535");
            }
        }
        if (kind == Kind.RELAY && host.isBlank()) {
            throw new IllegalArgumentException("Relay route " + name + " has no host");
        }
    }

    /**
     * @param domain a recipient domain, any case
     * @return true if this route serves it, by exact name or as the default route
     */
    public boolean serves(String domain) {
        return domains.contains(ANY_DOMAIN) || domains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
