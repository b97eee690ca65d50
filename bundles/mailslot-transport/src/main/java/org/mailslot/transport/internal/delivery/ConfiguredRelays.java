package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.mailslot.api.config.FactoryConfigurations;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay routes that Config Admin holds, and the domains each is configured for, whether or not
 * its {@link RelayRoute} component is active. A route's component comes some time after its
 * configuration — after the transport at every start, after a bundle update, never if its
 * configuration is invalid — and mail for its domains must wait for it meanwhile: sent by MX it
 * would bypass the smarthost the operator chose, or bounce for a domain that only the smarthost
 * knows.
 */
@Component(service = {ConfiguredRelays.class, ConfigurationListener.class})
public final class ConfiguredRelays implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredRelays.class);

    private final ConfigurationAdmin admin;
    private volatile Map<String, Set<String>> domainsByRoute = Map.of();

    @Activate
    public ConfiguredRelays(@Reference ConfigurationAdmin admin) {
        this.admin = admin;
        refresh();
    }

    /** For tests: a fixed set of configured routes. */
    ConfiguredRelays(Map<String, Set<String>> domainsByRoute) {
        this.admin = null;
        this.domainsByRoute = Map.copyOf(domainsByRoute);
    }

    /** @return each configured route's name with the domains it is configured to serve */
    Map<String, Set<String>> domainsByRoute() {
        return domainsByRoute;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (RelayRoute.PID.equals(event.getFactoryPid())) {
            refresh();
        }
    }

    private void refresh() {
        if (admin == null) {
            return;
        }
        Map<String, Set<String>> found = new HashMap<>();
        try {
            Configuration[] configurations = admin.listConfigurations("(service.factoryPid=" + RelayRoute.PID + ")");
            for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties != null) {
                    Map<String, Object> map = new HashMap<>();
                    Collections.list(properties.keys()).forEach(key -> map.put(key, properties.get(key)));
                    found.put(FactoryConfigurations.instanceName(map), RelayRoute.domainsOf(values(map.get("domains"))));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Could not list the relay route configurations: {}", e.toString());
            return;
        }
        domainsByRoute = Map.copyOf(found);
    }

    private static String[] values(Object value) {
        if (value instanceof String[] array) {
            return array;
        }
        if (value instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toArray(String[]::new);
        }
        return value == null ? new String[0] : new String[] {value.toString()};
    }
}
