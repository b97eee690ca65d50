package org.mailslot.transport.internal.delivery.mx;

import java.util.Optional;
import java.util.Set;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The MX route ({@value #PID}): how the recipient domain's own mail hosts are found and spoken
 * to. Works without configuration (the system's resolvers, port 25, opportunistic TLS).
 */
@Component(
        name = MxRouting.PID,
        configurationPid = MxRouting.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = MxRouting.class)
@Designate(ocd = MxRouting.Config.class)
public final class MxRouting {

    /** The configuration PID. */
    public static final String PID = "org.mailslot.mx";

    @ObjectClassDefinition(
            name = "Mailslot MX route",
            description = "Delivery to the recipient domain's MX hosts (RFC 5321 section 5) when no relay route serves"
                    + " the domain.")
    public @interface Config {

        @AttributeDefinition(name = "DNS resolver", required = false,
                description = "host:port of the DNS server to ask (for example 127.0.0.1:5353). Empty: the system's resolvers.")
        String resolver() default "";

        @AttributeDefinition(name = "DNS timeout")
        String dns_timeout() default "10";

        @AttributeDefinition(name = "Ports", description = "Ports to try on each MX host, in order.")
        String[] ports() default {"25"};

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

        @AttributeDefinition(name = "Verify certificates",
                description = "false (the default): opportunistic TLS, any certificate accepted, as MTAs do without"
                        + " MTA-STS or DANE (RFC 7435). true: the chain and the MX host name must verify.")
        boolean tls_verify() default false;

        @AttributeDefinition(name = "Idle timeout", description = "How long an unused connection stays open; 0 closes it after each message.")
        String idle_timeout() default "30";

        @AttributeDefinition(name = "Idle connections per host", description = "How many unused connections are kept per host and port.")
        int pool_size() default 2;

        @AttributeDefinition(name = "Port memory", description = "How long the port that worked for a host is tried first.")
        String port_memory() default "600";

        @AttributeDefinition(name = "EHLO name", required = false, description = "Empty: the local host name.")
        String ehlo_name() default "";

        @AttributeDefinition(name = "MTA-STS policy cache", required = false,
                description = "Where MTA-STS policies are kept across restarts (RFC 8461 section 5.1); empty for"
                        + " ${karaf.data}/mailslot/mta-sts.")
        String mta$_$sts_directory() default "";

        @AttributeDefinition(name = "MTA-STS fetch timeout",
                description = "The longest fetching a policy from https://mta-sts.DOMAIN/.well-known/mta-sts.txt may"
                        + " take, from the connection to the last byte.")
        String mta$_$sts_fetch_timeout() default "60";

        @AttributeDefinition(name = "MTA-STS refresh interval",
                description = "How often every cached policy is fetched again, so that it does not expire while its"
                        + " domain still publishes it.")
        String mta$_$sts_refresh_interval() default "1d";
    }

    private final MxResolver resolver;
    private final RouteSettings settings;
    private final int poolSize;

    @Activate
    public MxRouting(Config config) {
        this(new DnsMxResolver(config.resolver(), DurationProperty.positive(WHERE + "dns.timeout", config.dns_timeout())), settingsOf(config),
                config.pool_size());
    }

    /** For tests: a resolver and settings of one's own. */
    public MxRouting(MxResolver resolver, RouteSettings settings, int poolSize) {
        this.resolver = resolver;
        this.settings = settings;
        this.poolSize = poolSize;
    }

    public MxResolver resolver() {
        return resolver;
    }

    public RouteSettings settings() {
        return settings;
    }

    public int poolSize() {
        return poolSize;
    }

    private static final String WHERE = "MX delivery: ";

    static RouteSettings settingsOf(Config config) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", RelayRoute.ports(Route.MX_NAME, config.ports()),
                Set.of(), false, DurationProperty.positive(WHERE + "connect.timeout", config.connect_timeout()),
                DurationProperty.positive(WHERE + "read.timeout", config.read_timeout()));
        return new RouteSettings(route, Optional.empty(),
                config.tls_verify() ? PeerVerification.FULL : PeerVerification.NONE,
                DurationProperty.zeroOrMore(WHERE + "idle.timeout", config.idle_timeout()),
                DurationProperty.zeroOrMore(WHERE + "port.memory", config.port_memory()),
                Optional.of(config.ehlo_name()).filter(name -> !name.isBlank()),
                DurationProperty.positive(WHERE + "data.timeout", config.data_timeout()));
    }
}
