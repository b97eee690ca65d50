package org.mailslot.dkim.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;

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

    static final String MX_PID = "org.mailslot.mx";
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

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
        String resolver = "";
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + MX_PID + ")");
            if (configurations != null && configurations.length > 0) {
                Dictionary<String, Object> properties = configurations[0].getProperties();
                if (properties != null) {
                    Object value = properties.get("resolver");
                    resolver = value == null ? "" : value.toString().strip();
                    Object seconds = properties.get("dns.timeout");
                    if (seconds != null) {
                        timeout = Integer.parseInt(seconds.toString().strip());
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException | NumberFormatException e) {
            LOG.warn("Cannot read {} for DKIM key lookups; using the system's resolvers: {}", MX_PID, e.toString());
        }
        DnsKeyLookup lookup;
        try {
            lookup = new DnsKeyLookup(resolver, Duration.ofSeconds(Math.max(1, timeout)));
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); DKIM key lookups use the system's resolvers", MX_PID,
                    e.getMessage());
            lookup = new DnsKeyLookup("", Duration.ofSeconds(Math.max(1, timeout)));
        }
        direct = lookup;
        cached = new CachingKeyLookup(lookup, Clock.systemUTC());
        LOG.info("DKIM key lookups use {}", lookup);
    }
}
