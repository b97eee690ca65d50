package org.mailslot.smtp.internal;

import java.time.Duration;
import java.util.Map;

import org.mailslot.api.config.FactoryConfigurations;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.maillog.MailLog;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener per factory configuration {@code org.mailslot.listener~NAME}. A configuration
 * change makes DS deactivate (closing gracefully) and activate again with the new values, which
 * rebinds the listener without a restart of anything else.
 */
@Component(
        name = ListenerComponent.PID,
        configurationPid = ListenerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ListenerHandle.class,
        immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class ListenerComponent implements ListenerHandle {

    static final String PID = "org.mailslot.listener";

    private static final Logger LOG = LoggerFactory.getLogger(ListenerComponent.class);

    private final Settings settings;
    private final Listener listener;
    private final int strategyPort;
    private final PortStrategyTable strategies = new PortStrategyTable();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MailSubmission submission;

    @Activate
    public ListenerComponent(ListenerConfig config, Map<String, Object> properties, @Reference(name = "tls") TlsService tls,
            @Reference(name = "authThrottle") AuthThrottle authThrottle) {
        String name = nameOf(properties);
        for (String moved : new String[] {"auth.throttle.failures", "auth.throttle.window", "auth.throttle.time"}) {
            if (properties.containsKey(moved)) {
                // Counted over all listeners now: one setting, in one place.
                throw new IllegalArgumentException("listener " + name + ": " + moved + " is no longer a listener property;"
                        + " set " + moved.substring("auth.throttle.".length()) + " in " + AuthThrottle.PID);
            }
        }
        if (!properties.containsKey("port")) {
            throw new IllegalArgumentException("listener " + name + ": port is required");
        }
        if (config.port() == 0) {
            // Any free port is for tests only: never what an operator meant.
            throw new IllegalArgumentException("listener " + name + ": port must be between 1 and 65535, not 0");
        }
        this.settings = Settings.of(name, config);
        this.strategyPort = settings.strategyPort();
        this.listener = new Listener(settings, tls, new JaasAuthenticator(settings.realm()), authThrottle, () -> submission);
    }

    @Reference(name = "strategies", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStrategy(PortStrategy strategy, Map<String, Object> serviceProperties) {
        synchronized (strategies) {
            strategies.add(strategy, serviceProperties);
            listener.strategy(strategies.forPort(strategyPort));
        }
    }

    void removeStrategy(PortStrategy strategy) {
        synchronized (strategies) {
            strategies.remove(strategy);
            listener.strategy(strategies.forPort(strategyPort));
        }
    }

    @Reference(name = "senderAuthenticator", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSenderAuthenticator(SenderAuthenticator checks) {
        listener.senderAuthenticator(checks);
    }

    void unbindSenderAuthenticator(SenderAuthenticator checks) {
        if (listener.senderAuthenticator() == checks) {
            listener.senderAuthenticator(null);
            if (listener.sendersMustBeChecked()) {
                LOG.warn("SMTP listener {}: mailslot-auth's sender checks went away; until they return, a listener that"
                        + " must check (sender.checks = {}) refuses mail from clients that did not log in with 451 4.7.1",
                        settings.name(), settings.senderChecks());
            }
        }
    }

    @Deactivate
    void deactivate() {
        listener.close();
        MailLog.flush(Duration.ofSeconds(5));
    }

    @Override
    public ListenerStatus status() {
        return listener.status();
    }

    @Override
    public ListenerCounters counters() {
        return listener.counters();
    }

    private static String nameOf(Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(properties);
    }
}
