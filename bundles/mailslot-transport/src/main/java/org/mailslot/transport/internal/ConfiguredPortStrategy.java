package org.mailslot.transport.internal;

import java.util.Hashtable;
import java.util.Map;

import org.mailslot.api.config.FactoryConfigurations;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * A port strategy defined by an operator in {@code etc/org.mailslot.port~NAME.cfg}.
 *
 * <p>The component validates its configuration before it registers anything, so a bad value
 * leaves no half-built strategy in the registry: activation fails, the error is in the log and
 * in {@code mailslot:status}, and the built-in strategy for the port stays in force.
 */
@Component(
        name = ConfiguredPortStrategy.PID,
        configurationPid = ConfiguredPortStrategy.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ConfiguredPortStrategy.Config.class, factory = true)
public final class ConfiguredPortStrategy {

    static final String PID = "org.mailslot.port";

    /** Ranks above the built-in strategies (ranking 0), so that configuration overrides them. */
    static final int DEFAULT_RANKING = 10;

    @ObjectClassDefinition(
            name = "Mailslot port strategy",
            description = "How a port behaves: TLS, AUTH and role. Overrides the built-in strategy of the same port.")
    public @interface Config {

        @AttributeDefinition(name = "Port", description = "The port whose behaviour this defines, 1 to 65535.")
        int port();

        @AttributeDefinition(name = "Role", options = {
            @Option(value = "relay", label = "Relay (MTA to MTA)"),
            @Option(value = "submission", label = "Submission (STARTTLS)"),
            @Option(value = "submissions", label = "Submission over implicit TLS"),
            @Option(value = "alternate", label = "Alternate submission")})
        String role();

        @AttributeDefinition(name = "TLS mode", options = {
            @Option(value = "implicit", label = "Implicit TLS"),
            @Option(value = "starttls-required", label = "STARTTLS required"),
            @Option(value = "starttls-opportunistic", label = "STARTTLS when offered"),
            @Option(value = "none", label = "No TLS")})
        String tls_mode();

        @AttributeDefinition(name = "AUTH policy", options = {
            @Option(value = "required", label = "Required"),
            @Option(value = "optional", label = "Optional, after TLS"),
            @Option(value = "none", label = "Never")})
        String auth_policy();

        @AttributeDefinition(name = "Ranking", description = "Higher wins among strategies for the same port; built-ins have 0.")
        int service_ranking() default DEFAULT_RANKING;
    }

    private final ServiceRegistration<PortStrategy> registration;

    @Activate
    public ConfiguredPortStrategy(BundleContext context, Config config, Map<String, Object> properties) {
        PortStrategy strategy = strategyOf(config);
        Hashtable<String, Object> serviceProperties = new Hashtable<>(PortStrategy.serviceProperties(strategy));
        serviceProperties.put(PortStrategy.ORIGIN, "configuration " + FactoryConfigurations.instanceName(properties));
        serviceProperties.put(Constants.SERVICE_RANKING, config.service_ranking());
        this.registration = context.registerService(PortStrategy.class, strategy, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    /**
     * @throws IllegalArgumentException naming the property that is missing or wrong
     */
    static PortStrategy strategyOf(Config config) {
        return PortStrategy.of(
                config.port(),
                PortRole.fromConfigName(required("role", config.role())),
                TlsMode.fromConfigName(required("tls.mode", config.tls_mode())),
                AuthPolicy.fromConfigName(required("auth.policy", config.auth_policy())));
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Property " + key + " is missing");
        }
        return value;
    }
}
