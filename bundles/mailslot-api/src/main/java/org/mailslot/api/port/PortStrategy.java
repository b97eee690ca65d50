package org.mailslot.api.port;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The behaviour of one SMTP port role: which TLS it demands, whether AUTH belongs to it, and
 * what it is for. Listeners enforce it on clients; the delivery client obeys it towards servers.
 *
 * <p>Register implementations as OSGi services of this type with the {@link #PORT} property
 * (and optionally {@code service.ranking}), and with {@link #ROLE}, {@link #TLS_MODE} and {@link
 * #AUTH_POLICY} so that a service filter can select strategies by what they do, such as {@code
 * (mailslot.tls.mode=implicit)}; {@link #serviceProperties} gives all four. Consumers take the
 * behaviour from the methods; the properties describe it and must agree with them.
 * Implementations must be immutable: a change of behaviour is a new service, so that a connection
 * never sees a strategy change under it. Methods are called from any thread and must not block.
 *
 * <p>Fail-closed rules that every consumer applies, whatever the strategy says: credentials are
 * never sent or accepted without TLS ({@link #credentialsAllowed(boolean)}), and a port whose
 * mode {@linkplain TlsMode#requiresTls() requires TLS} never carries a message in clear.
 */
@ConsumerType
public interface PortStrategy {

    /** Service property: the port number whose behaviour the service defines (an Integer). */
    String PORT = "mailslot.port";

    /** Service property: where the strategy came from, for operators (built-in, configuration). */
    String ORIGIN = "mailslot.origin";

    /** Service property: the {@link #role()}'s {@linkplain PortRole#configName() name}, such as {@code submission} (a String). */
    String ROLE = "mailslot.role";

    /**
     * Service property: the {@link #tlsMode()}'s {@linkplain TlsMode#configName() name}, such as
     * {@code starttls-required} (a String).
     */
    String TLS_MODE = "mailslot.tls.mode";

    /** Service property: the {@link #authPolicy()}'s {@linkplain AuthPolicy#configName() name}, such as {@code required} (a String). */
    String AUTH_POLICY = "mailslot.auth.policy";

    /** @return the well-known port this strategy describes, 1 to 65535 */
    int port();

    /** @return what the port is for */
    PortRole role();

    /** @return how TLS is established */
    TlsMode tlsMode();

    /** @return whether AUTH is part of this port's role */
    AuthPolicy authPolicy();

    /**
     * @param tlsActive whether the connection is protected by TLS right now
     * @return true if credentials may be sent or accepted on such a connection
     */
    default boolean credentialsAllowed(boolean tlsActive) {
        return tlsActive && authPolicy() != AuthPolicy.NONE;
    }

    /**
     * The service properties that describe a strategy, for registering it.
     *
     * @param strategy the strategy
     * @return a new modifiable map of {@link #PORT} (an Integer), {@link #ROLE}, {@link #TLS_MODE}
     *     and {@link #AUTH_POLICY} (configuration names), to which a caller adds {@link #ORIGIN} and
     *     {@code service.ranking}
     */
    static Map<String, Object> serviceProperties(PortStrategy strategy) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(PORT, strategy.port());
        properties.put(ROLE, strategy.role().configName());
        properties.put(TLS_MODE, strategy.tlsMode().configName());
        properties.put(AUTH_POLICY, strategy.authPolicy().configName());
        return properties;
    }

    /**
     * Creates an immutable strategy.
     *
     * @throws IllegalArgumentException if the port is out of range, or the combination would
     *     require credentials on a port that never has TLS
     */
    static PortStrategy of(int port, PortRole role, TlsMode tlsMode, AuthPolicy authPolicy) {
        return new Definition(port, role, tlsMode, authPolicy);
    }

    /**
     * The plain value implementation returned by {@link PortStrategy#of}.
     *
     * @param port the port, 1 to 65535
     * @param role the role
     * @param tlsMode the TLS mode
     * @param authPolicy the AUTH policy
     */
    @ProviderType
    record Definition(int port, PortRole role, TlsMode tlsMode, AuthPolicy authPolicy) implements PortStrategy {

        public Definition {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Port " + port + " is not between 1 and 65535");
            }
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(tlsMode, "tlsMode");
            Objects.requireNonNull(authPolicy, "authPolicy");
            if (tlsMode == TlsMode.NONE && authPolicy == AuthPolicy.REQUIRED) {
                throw new IllegalArgumentException("Port " + port + ": AUTH cannot be required with TLS mode none,"
                        + " since credentials are never sent in clear");
            }
        }

        @Override
        public String toString() {
            return port + " (" + role + ", TLS " + tlsMode + ", AUTH " + authPolicy + ")";
        }
    }
}
