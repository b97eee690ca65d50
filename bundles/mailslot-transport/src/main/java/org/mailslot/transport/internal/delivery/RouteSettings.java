package org.mailslot.transport.internal.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;

/**
 * A route with what the API's {@link Route} does not show: credentials, how the server's
 * certificate is checked, and how long connections and the port that worked are kept.
 *
 * @param route the route as the API shows it
 * @param credentials the user name and password to AUTH with, only ever over TLS
 * @param verification how the server's certificate is checked
 * @param idleTimeout how long an unused pooled connection stays open
 * @param portMemory how long the port that worked is tried first
 * @param ehloName the name to send with EHLO, or empty for the local host name
 * @param dataTimeout the longest the message content may take to send, from the 354 to the end of
 *     data (Postfix's {@code smtp_data_xfer_timeout}, as a deadline)
 */
public record RouteSettings(Route route, Optional<Credentials> credentials, PeerVerification verification,
        Duration idleTimeout, Duration portMemory, Optional<String> ehloName, Duration dataTimeout) {

    /** The default {@code data.timeout}: Postfix's {@code smtp_data_xfer_timeout}. */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofSeconds(180);

    /** Settings with the default {@code data.timeout}. */
    public RouteSettings(Route route, Optional<Credentials> credentials, PeerVerification verification,
            Duration idleTimeout, Duration portMemory, Optional<String> ehloName) {
        this(route, credentials, verification, idleTimeout, portMemory, ehloName, DEFAULT_DATA_TIMEOUT);
    }

    public RouteSettings {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(portMemory, "portMemory");
        Objects.requireNonNull(ehloName, "ehloName");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        if (dataTimeout.isNegative() || dataTimeout.isZero()) {
            throw new IllegalArgumentException("Route " + route.name() + ": data.timeout must be positive, not "
                    + dataTimeout.toSeconds());
        }
    }

    /** @return the route's name */
    public String name() {
        return route.name();
    }

    /**
     * A user name and password. {@link #toString()} never shows the password.
     *
     * @param username the user name
     * @param password the password
     */
    public record Credentials(String username, String password) {

        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[" + username + ", password hidden]";
        }
    }
}
