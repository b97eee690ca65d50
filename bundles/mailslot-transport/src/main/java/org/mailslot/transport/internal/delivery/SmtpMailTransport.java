package org.mailslot.transport.internal.delivery;

import org.mailslot.transport.internal.PortStrategies;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tlsrpt.TlsResults;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The SMTP delivery client: collects the relay routes ({@link RelayRoute}) and the MX route
 * ({@link MxRouting}), tracks the port strategies, and delivers over Angus Mail with a pool of
 * connections per route, host and port.
 */
@Component(name = "org.mailslot.transport", service = MailTransport.class)
public final class SmtpMailTransport implements MailTransport {

    /** How late a connection's deadline may be enforced. */
    private static final Duration DEADLINE_TICK = Duration.ofMillis(100);

    private final Map<String, RelayRoute> relays = new ConcurrentHashMap<>();
    private final PortStrategies strategies = new PortStrategies();
    private final ConnectionPool pool;
    private final PortMemory memory;
    private final Deliverer deliverer;
    private final ConfiguredRelays configured;
    private final DeadlineWatch deadlines;
    private volatile MxRouting mx;
    private volatile TlsResults tlsResults;

    @Activate
    public SmtpMailTransport(@Reference TlsService tls, @Reference ConfiguredRelays configured) {
        this(tls, configured, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** For tests: no relay route configured but those added. */
    public SmtpMailTransport(TlsService tls, Clock clock, Duration sweepInterval) {
        this(tls, new ConfiguredRelays(Map.of()), clock, sweepInterval);
    }

    /**
     * @param tls the TLS service
     * @param configured the relay routes configured, active or not
     * @param clock for idle times and the port memory
     * @param sweepInterval how often idle connections are looked at
     */
    SmtpMailTransport(TlsService tls, ConfiguredRelays configured, Clock clock, Duration sweepInterval) {
        this.configured = configured;
        this.pool = new ConnectionPool(clock, sweepInterval);
        this.memory = new PortMemory(clock);
        this.deadlines = new DeadlineWatch(DEADLINE_TICK);
        this.deliverer = new Deliverer(new Connector(tls, clock, deadlines), strategies, pool, memory, clock,
                () -> tlsResults);
    }

    @Deactivate
    public void deactivate() {
        pool.close();
        deadlines.close();
    }

    DeadlineWatch deadlines() {
        return deadlines;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedStrategy")
    public void addStrategy(PortStrategy strategy, Map<String, Object> properties) {
        changing(strategy.port(), () -> strategies.add(strategy, properties));
    }

    /** Its service properties changed: a new {@code service.ranking} may change which one is in force. */
    public void updatedStrategy(PortStrategy strategy, Map<String, Object> properties) {
        changing(strategy.port(), () -> strategies.update(strategy, properties));
    }

    public void removeStrategy(PortStrategy strategy) {
        changing(strategy.port(), () -> strategies.remove(strategy));
    }

    /**
     * Applies a change to the strategies and, if the one in force for the port is another now,
     * closes the idle connections to that port: they were opened under the old one. (The pool
     * checks the strategy on every take and release as well, for deliveries in flight.)
     */
    private void changing(int port, Runnable change) {
        PortStrategy before = strategies.forPort(port);
        change.run();
        if (strategies.forPort(port) != before) {
            pool.evictPort(port);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedRelay")
    public void addRelay(RelayRoute relay) {
        String name = relay.settings().name();
        relays.put(name, relay);
        pool.evict(name);
        memory.forgetRoute(name);
    }

    /** The route's configuration changed in place: its pooled connections and port memory are stale. */
    public void updatedRelay(RelayRoute relay) {
        String name = relay.settings().name();
        pool.evict(name);
        memory.forgetRoute(name);
    }

    public void removeRelay(RelayRoute relay) {
        String name = relay.settings().name();
        if (relays.remove(name, relay)) {
            pool.evict(name);
            memory.forgetRoute(name);
        }
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void setMx(MxRouting routing) {
        this.mx = routing;
        pool.evict(Route.MX_NAME);
        memory.forgetRoute(Route.MX_NAME);
    }

    public void unsetMx(MxRouting routing) {
        // A replacement is bound before the old one goes; the field keeps the newest.
    }

    /** TLS reporting: MX delivery tells it each host's TLS outcome while it is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setTlsResults(TlsResults results) {
        this.tlsResults = results;
    }

    public void unsetTlsResults(TlsResults results) {
        if (this.tlsResults == results) {
            this.tlsResults = null;
        }
    }

    RelayRoute relay(String name) {
        return relays.get(name);
    }

    PortStrategies strategies() {
        return strategies;
    }

    ConnectionPool pool() {
        return pool;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope, MessageSource message, Route route) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(route, "route");
        if (route.kind() == Route.Kind.MX) {
            MxRouting routing = mx;
            if (routing == null) {
                return unavailable(envelope, route, "the MX route is not available");
            }
            return deliverer.mx(routing, envelope, message);
        }
        RelayRoute relay = relays.get(route.name());
        if (relay == null) {
            return unavailable(envelope, route, "relay route " + route.name() + " is not active (starting, or its"
                    + " configuration is invalid: see mailslot:status)");
        }
        return deliverer.relay(relay.settings(), relay.poolSize(), envelope, message);
    }

    private static DeliveryResult unavailable(Envelope envelope, Route route, String why) {
        List<RecipientOutcome> outcomes = envelope.recipients().stream()
                .map(r -> new RecipientOutcome(r.address(), DeliveryStatus.TEMPORARY_FAILURE, 0, "4.3.0", why, "", 0,
                        Optional.empty(), FailureCause.ROUTE_UNAVAILABLE))
                .toList();
        return new DeliveryResult(route.name(), outcomes, List.of());
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(relays.values().stream().map(r -> r.settings().route())
                .sorted(Comparator.comparing(Route::name)).toList());
        MxRouting routing = mx;
        if (routing != null) {
            routes.add(routing.settings().route());
        }
        return List.copyOf(routes);
    }

    @Override
    public Optional<Route> route(String name) {
        return routes().stream().filter(route -> route.name().equals(name)).findFirst();
    }

    /**
     * A route configured for the domain whose component is not active is still the domain's route: its
     * mail waits for it (see {@link ConfiguredRelays}) rather than going by MX.
     */
    @Override
    public Route routeFor(MailAddress recipient) {
        String domain = recipient.normalizedDomain();
        List<Route> relayRoutes = relays.values().stream().map(r -> r.settings().route())
                .sorted(Comparator.comparing(Route::name)).toList();
        return relayRoutes.stream().filter(route -> route.domains().contains(domain)).findFirst()
                .or(() -> inactiveRouteFor(domain))
                .or(() -> relayRoutes.stream().filter(route -> route.domains().contains(Route.ANY_DOMAIN)).findFirst())
                .or(() -> inactiveRouteFor(Route.ANY_DOMAIN))
                .orElseGet(this::mxRoute);
    }

    private Optional<Route> inactiveRouteFor(String domain) {
        return configured.domainsByRoute().entrySet().stream()
                .filter(route -> !relays.containsKey(route.getKey()) && route.getValue().contains(domain))
                .map(Map.Entry::getKey).sorted().findFirst()
                .map(name -> new Route(name, Route.Kind.RELAY, name, List.of(RelayRoute.DEFAULT_PORT), Set.of(domain), false,
                        Duration.ofSeconds(30), Duration.ofSeconds(300)));
    }

    private Route mxRoute() {
        MxRouting routing = mx;
        if (routing != null) {
            return routing.settings().route();
        }
        // Never null: the MX route's shape is known even while its component restarts.
        return new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), java.util.Set.of(), false,
                Duration.ofSeconds(30), Duration.ofSeconds(300));
    }
}
