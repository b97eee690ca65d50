package org.mailslot.dkim.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.mailslot.support.config.ListProperty;
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
 * The domains the spool delivers to local Maildirs: {@code local.domains} of {@value #DELIVERY_PID},
 * read through Config Admin as {@link KeyLookups} reads the resolver. Mail for them is not forwarded,
 * so it is not sealed.
 */
@Component(service = {LocalDomains.class, ConfigurationListener.class})
public final class LocalDomains implements ConfigurationListener {

    static final String DELIVERY_PID = "org.mailslot.delivery";
    static final List<String> DEFAULT = List.of("localhost");

    private static final Logger LOG = LoggerFactory.getLogger(LocalDomains.class);

    private final ConfigurationAdmin configurationAdmin;
    private volatile Set<String> domains = normalized(DEFAULT);

    @Activate
    public LocalDomains(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        reload();
    }

    /** @return the local domains, lower case */
    Set<String> get() {
        return domains;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (DELIVERY_PID.equals(event.getPid())) {
            reload();
        }
    }

    private void reload() {
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + DELIVERY_PID + ")");
            Object value = configurations == null || configurations.length == 0 || configurations[0].getProperties() == null
                    ? null : configurations[0].getProperties().get("local.domains");
            domains = normalized(value == null ? DEFAULT : ListProperty.split("local.domains", value));
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read local.domains of {}; ARC sealing counts only {} as local: {}", DELIVERY_PID, DEFAULT,
                    e.toString());
            domains = normalized(DEFAULT);
        }
    }

    static Set<String> normalized(List<String> domains) {
        return domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
