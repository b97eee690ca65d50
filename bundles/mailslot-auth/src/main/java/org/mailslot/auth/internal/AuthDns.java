package org.mailslot.auth.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;

import org.mailslot.support.config.DurationProperty;
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
 * The DNS every SPF and DMARC lookup uses: {@code resolver} and {@code dns.timeout} of
 * {@value #MX_PID}, as MX delivery and DKIM key lookups read them, so that one setting points all
 * of Mailslot's DNS at the same server; answers are kept for their TTL. Read through Config Admin
 * (binding it as this component's configuration would take it from the transport bundle); changes
 * apply at once and empty the cache.
 */
@Component(service = {AuthDns.class, ConfigurationListener.class})
public final class AuthDns implements ConfigurationListener {

    static final String MX_PID = "org.mailslot.mx";
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(AuthDns.class);

    private final ConfigurationAdmin configurationAdmin;
    private volatile DnsQuery cached;

    @Activate
    public AuthDns(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        reload();
    }

    /** @return queries that keep answers for their TTL */
    DnsQuery cached() {
        return cached;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (MX_PID.equals(event.getPid())) {
            reload();
        }
    }

    private void reload() {
        String resolver = "";
        Duration wait = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + MX_PID + ")");
            if (configurations != null && configurations.length > 0) {
                Dictionary<String, Object> properties = configurations[0].getProperties();
                if (properties != null) {
                    Object value = properties.get("resolver");
                    resolver = value == null ? "" : value.toString().strip();
                    Object timeout = properties.get("dns.timeout");
                    if (timeout != null) {
                        wait = DurationProperty.positive(MX_PID + " dns.timeout", timeout);
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} for SPF and DMARC lookups; using the system's resolvers: {}", MX_PID, e.toString());
        }
        DnsJavaQuery query;
        try {
            query = new DnsJavaQuery(resolver, wait);
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); SPF and DMARC lookups use the system's resolvers", MX_PID,
                    e.getMessage());
            query = new DnsJavaQuery("", wait);
        }
        cached = new CachingDnsQuery(query, Clock.systemUTC());
        LOG.info("SPF and DMARC lookups use {}", query);
    }
}
