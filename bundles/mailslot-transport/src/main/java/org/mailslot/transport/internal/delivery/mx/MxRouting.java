package org.mailslot.transport.internal.delivery.mx;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.transport.internal.delivery.policy.DestinationTls;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicies;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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

        @AttributeDefinition(name = "TLS security level",
                description = "The TLS policy of a destination without a tls.policy entry or an MTA-STS policy: may"
                        + " (opportunistic TLS, any certificate, as MTAs do without MTA-STS or DANE, RFC 7435), encrypt"
                        + " (TLS required), dane (DANE where the MX host has DNSSEC-validated TLSA records, else may),"
                        + " dane-only, verify (the chain and the MX host name must verify) or secure (the chain and the"
                        + " recipient domain must verify).")
        String tls_security_level() default "may";

        @AttributeDefinition(name = "TLS policy per destination", required = false,
                description = "DOMAIN=LEVEL entries (example.com=dane-only; .example.com=secure for its sub-domains),"
                        + " as Postfix's smtp_tls_policy_maps; an entry wins over the default and over MTA-STS.")
        String[] tls_policy() default {};

        @AttributeDefinition(name = "Verify certificates",
                description = "true: the same as tls.security.level=verify where that is may (kept for configurations"
                        + " written before tls.security.level).")
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
    private final TlsPolicies policies;
    private final DestinationTls hostTls;

    /** The MTA-STS implementation, when one is there; until then no domain publishes a policy. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MtaStsPolicies mtaSts;

    @Activate
    public MxRouting(Config config) {
        Duration dnsTimeout = DurationProperty.positive(WHERE + "dns.timeout", config.dns_timeout());
        this.resolver = new DnsMxResolver(config.resolver(), dnsTimeout);
        this.hostTls = new DestinationTls(new DnssecLookups(config.resolver(), dnsTimeout, Clock.systemUTC()));
        this.settings = settingsOf(config);
        this.poolSize = config.pool_size();
        TlsPolicies configured = TlsPolicies.parse(WHERE, config.tls_security_level(), config.tls_policy(),
                this::mtaStsPolicies);
        this.policies = config.tls_verify() && configured.defaultLevel() == TlsPolicyLevel.MAY
                ? TlsPolicies.parse(WHERE, TlsPolicyLevel.VERIFY.configName(), config.tls_policy(), this::mtaStsPolicies)
                : configured;
    }

    /** For tests: a resolver and settings of one's own, opportunistic TLS everywhere. */
    public MxRouting(MxResolver resolver, RouteSettings settings, int poolSize) {
        this(resolver, settings, poolSize, TlsPolicies.opportunistic());
    }

    /** For tests: a resolver, settings and TLS policies of one's own, DNSSEC from the system's resolvers. */
    public MxRouting(MxResolver resolver, RouteSettings settings, int poolSize, TlsPolicies policies) {
        this(resolver, settings, poolSize, policies,
                new DestinationTls(new DnssecLookups("", Duration.ofSeconds(10), Clock.systemUTC())));
    }

    /** For tests: everything of one's own. */
    public MxRouting(MxResolver resolver, RouteSettings settings, int poolSize, TlsPolicies policies,
            DestinationTls hostTls) {
        this.resolver = resolver;
        this.settings = settings;
        this.poolSize = poolSize;
        this.policies = policies;
        this.hostTls = hostTls;
    }

    /** @return what a destination's policy makes of each of its MX hosts */
    public DestinationTls hostTls() {
        return hostTls;
    }

    private MtaStsPolicies mtaStsPolicies() {
        MtaStsPolicies current = mtaSts;
        return current == null ? MtaStsPolicies.NONE_PUBLISHED : current;
    }

    /** @return the one decision of a destination's TLS policy */
    public TlsPolicies policies() {
        return policies;
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
                // Each destination's TLS policy says how its certificate is checked.
                PeerVerification.NONE,
                DurationProperty.zeroOrMore(WHERE + "idle.timeout", config.idle_timeout()),
                DurationProperty.zeroOrMore(WHERE + "port.memory", config.port_memory()),
                Optional.of(config.ehlo_name()).filter(name -> !name.isBlank()),
                DurationProperty.positive(WHERE + "data.timeout", config.data_timeout()));
    }
}
