package org.mailslot.dkim.internal;

import java.io.IOException;
import java.time.Clock;

import org.mailslot.support.net.MxDnsSettings;
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
 * The DNS every key lookup uses: {@code resolver} and {@code dns.timeout} of {@value #MX_PID}, the
 * configuration MX delivery reads, so that one setting points all of Mailslot's DNS at the same
 * server. It is read through Config Admin rather than bound as this component's configuration, which
 * would take it from the transport bundle. Changes apply at once and empty the cache.
 */
@Component(service = {KeyLookups.class, ConfigurationListener.class})
public final class KeyLookups implements ConfigurationListener {

    static final String MX_PID = MxDnsSettings.PID;

    private static final Logger LOG = LoggerFactory.getLogger(KeyLookups.class);

    private final ConfigurationAdmin configurationAdmin;
    private volatile CachingKeyLookup cached;
    private volatile DnsKeyLookup direct;

    @Activate
    public KeyLookups(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        reload();
    }

    /** @return lookups that keep answers for their TTL, for verification */
    KeyLookup cached() {
        return cached;
    }

    /** @return lookups that ask DNS every time, for checking what is published now */
    KeyLookup direct() {
        return direct;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (MX_PID.equals(event.getPid())) {
            reload();
        }
    }

    private void reload() {
        MxDnsSettings settings = MxDnsSettings.defaults();
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + MX_PID + ")");
            if (configurations != null && configurations.length > 0) {
                settings = MxDnsSettings.of(configurations[0].getProperties());
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} for DKIM key lookups; using the system's resolvers: {}", MX_PID, e.toString());
        }
        DnsKeyLookup lookup;
        try {
            lookup = new DnsKeyLookup(settings.resolver(), settings.timeout());
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); DKIM key lookups use the system's resolvers", MX_PID,
                    e.getMessage());
            lookup = new DnsKeyLookup("", settings.timeout());
        }
        direct = lookup;
        cached = new CachingKeyLookup(lookup, Clock.systemUTC());
        LOG.info("DKIM key lookups use {}", lookup);
    }
}
