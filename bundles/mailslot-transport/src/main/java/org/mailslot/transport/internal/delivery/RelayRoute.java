package org.mailslot.transport.internal.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.mailslot.api.config.FactoryConfigurations;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.config.ListProperty;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A relay route from {@code etc/org.mailslot.relay-NAME.cfg}: a smarthost, its ports in order,
 * credentials and the recipient domains it serves. The {@link SmtpMailTransport} collects these.
 *
 * <p>{@code tls.verify=false} lowers verification to the chain only ({@link
 * PeerVerification#CHAIN}), never to none: the route may then name its smarthost by an address or
 * alias its certificate does not list, but the certificate must still come from a trusted anchor
 * (add a self-signed smarthost's certificate to {@code org.mailslot.tls}'s {@code trust.pem}), so
 * credentials are never handed to an unauthenticated server.
 *
 * <p>The password is {@code password} (a metatype PASSWORD attribute, as the configuration table
 * says) or {@code .password}. Declarative Services would copy {@code password}, like every
 * configuration property without a leading dot, into the properties of a service the component
 * declares, where {@code service:list} shows them. So the component declares none: it registers
 * itself, with {@value #ROUTE} as its only property, and changes that registration when its
 * configuration changes, so that the transport sees the change in place ({@code updatedRelay}).
 */
@Component(
        name = RelayRoute.PID,
        configurationPid = RelayRoute.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = RelayRoute.Config.class, factory = true)
public final class RelayRoute {

    /** The factory configuration PID. */
    public static final String PID = "org.mailslot.relay";

    /** The first of the default ports. */
    static final int DEFAULT_PORT = 587;

    /** The one service property of a route's registration: its name. */
    public static final String ROUTE = "mailslot.route";

    /** The other spelling of the password property, which Declarative Services keeps private by itself. */
    static final String DOT_PASSWORD = ".password";

    @ObjectClassDefinition(
            name = "Mailslot relay route",
            description = "An outbound route to a smarthost. NAME in org.mailslot.relay~NAME is the route's name.")
    public @interface Config {

        @AttributeDefinition(name = "Host", description = "The smarthost's name, as its certificate names it.")
        String host();

        @AttributeDefinition(name = "Ports",
                description = "Ports to try, in order (a list, or one comma-separated value); each behaves as its port"
                        + " strategy says.")
        String[] ports() default {"587", "465", "2525"};

        @AttributeDefinition(name = "User name", required = false, description = "Empty: no AUTH.")
        String username() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
                description = "Sent only over TLS; never logged or published. .password is read as well.")
        String password() default "";

        @AttributeDefinition(name = "Recipient domains", required = false,
                description = "The domains this route serves; * for every domain no other route serves. Empty: only"
                        + " when named.")
        String[] domains() default {};

        @AttributeDefinition(name = "Connect timeout",
                description = "For the TCP connection and the greeting together, however slowly the greeting arrives.")
        String connect_timeout() default "30";

        @AttributeDefinition(name = "Read timeout",
                description = "For every reply, however slowly it arrives; also for writing the next command.")
        String read_timeout() default "300";

        @AttributeDefinition(name = "Data timeout",
                description = "The longest the message content may take to send, from the 354 to the end of data"
                        + " (Postfix's smtp_data_xfer_timeout, as a deadline). A next hop that stops reading is"
                        + " disconnected then and the message deferred.")
        String data_timeout() default "180";

        @AttributeDefinition(name = "Verify the host name",
                description = "true: the certificate must verify and name the host. false: it must verify, whatever"
                        + " name it carries.")
        boolean tls_verify() default true;

        @AttributeDefinition(name = "Idle timeout", description = "How long an unused connection stays open; 0 closes it after each message.")
        String idle_timeout() default "60";

        @AttributeDefinition(name = "Idle connections", description = "How many unused connections are kept per port.")
        int pool_size() default 4;

        @AttributeDefinition(name = "Port memory", description = "How long the port that worked is tried first.")
        String port_memory() default "600";

        @AttributeDefinition(name = "EHLO name", required = false, description = "Empty: the local host name.")
        String ehlo_name() default "";
    }

    // Changed in place by a configuration update, so the route never disappears meanwhile: a message
    // for its domains in that window would otherwise be routed by MX.
    private volatile RouteSettings settings;
    private volatile int poolSize;
    private final ServiceRegistration<RelayRoute> registration;

    /** As Declarative Services activates it: checks the configuration, then registers the route. */
    @Activate
    public RelayRoute(BundleContext context, Config config, Map<String, Object> properties) {
        this.settings = settingsOf(nameOf(properties), config, properties);
        this.poolSize = config.pool_size();
        this.registration = context.registerService(RelayRoute.class, this, serviceProperties(settings));
    }

    /** A route that is not registered, for code that hands it to the transport itself (tests, benchmarks). */
    public RelayRoute(RouteSettings settings, int poolSize) {
        this.settings = settings;
        this.poolSize = poolSize;
        this.registration = null;
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        RouteSettings next = settingsOf(nameOf(properties), config, properties);
        this.poolSize = config.pool_size();
        this.settings = next;
        if (registration != null) {
            registration.setProperties(serviceProperties(next));
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // The framework unregistered it already, with the bundle stopping.
            }
        }
    }

    /** @return the properties the route is registered with: its name, and nothing of its configuration */
    static Hashtable<String, Object> serviceProperties(RouteSettings settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ROUTE, settings.name());
        return properties;
    }

    public RouteSettings settings() {
        return settings;
    }

    public int poolSize() {
        return poolSize;
    }

    static String nameOf(Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(properties);
    }

    /**
     * @throws IllegalArgumentException naming the property that is missing or wrong
     */
    static RouteSettings settingsOf(String name, Config config, Map<String, ?> properties) {
        if (config.host() == null || config.host().isBlank()) {
            throw new IllegalArgumentException("Relay route " + name + ": property host is missing");
        }
        String where = "Relay route " + name + ": ";
        Duration connectTimeout = DurationProperty.positive(where + "connect.timeout", config.connect_timeout());
        Duration readTimeout = DurationProperty.positive(where + "read.timeout", config.read_timeout());
        Set<String> domains = domainsOf(config.domains());
        String password = password(name, config, properties);
        boolean authenticated = !config.username().isBlank();
        if (authenticated && password.isEmpty()) {
            throw new IllegalArgumentException("Relay route " + name + ": username is set but password is missing");
        }
        if (!authenticated && !password.isEmpty()) {
            throw new IllegalArgumentException("Relay route " + name + ": password is set but username is missing");
        }
        Route route = new Route(name, Route.Kind.RELAY, config.host().strip(),
                ports(name, config.ports()), domains, authenticated,
                connectTimeout, readTimeout);
        Optional<RouteSettings.Credentials> credentials = authenticated
                ? Optional.of(new RouteSettings.Credentials(config.username().strip(), password))
                : Optional.empty();
        return new RouteSettings(route, credentials, config.tls_verify() ? PeerVerification.FULL : PeerVerification.CHAIN,
                DurationProperty.zeroOrMore(where + "idle.timeout", config.idle_timeout()),
                DurationProperty.zeroOrMore(where + "port.memory", config.port_memory()),
                Optional.of(config.ehlo_name()).filter(ehlo -> !ehlo.isBlank()),
                DurationProperty.positive(where + "data.timeout", config.data_timeout()));
    }

    /** @param values a list of domains, or one value such as {@code a.example, b.example}; @return them in lower case */
    static Set<String> domainsOf(String[] values) {
        return ListProperty.split("domains", values).stream()
                .map(domain -> domain.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @return {@code password}, or else {@code .password}, or empty
     * @throws IllegalArgumentException if both are set, to different values (the message names the
     *     properties, never a value)
     */
    private static String password(String name, Config config, Map<String, ?> properties) {
        String plain = config.password() == null ? "" : config.password();
        Object dotted = properties.get(DOT_PASSWORD);
        String hidden = dotted == null ? "" : dotted.toString();
        if (!plain.isEmpty() && !hidden.isEmpty() && !plain.equals(hidden)) {
            throw new IllegalArgumentException("Relay route " + name + ": password and " + DOT_PASSWORD
                    + " are both set, to different values; set one of them");
        }
        return plain.isEmpty() ? hidden : plain;
    }

    /**
     * @param values a list of ports, or one value such as {@code 587,465} (as a {@code .cfg} file gives it)
     * @throws IllegalArgumentException naming the value that is not a port
     */
    public static java.util.List<Integer> ports(String route, String[] values) {
        try {
            return ListProperty.split("Route " + route + ": ports", values).stream()
                    .map(Integer::valueOf).distinct().toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Route " + route + ": ports " + Arrays.toString(values)
                    + " are not port numbers", e);
        }
    }

    @Override
    public String toString() {
        return "RelayRoute[" + settings.name() + " " + settings.route().host() + " " + settings.route().ports() + "]";
    }
}
