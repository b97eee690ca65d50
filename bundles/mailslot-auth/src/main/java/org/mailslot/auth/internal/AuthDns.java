package org.mailslot.auth.internal;

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
 * The DNS every SPF and DMARC lookup uses: {@code resolver} and {@code dns.timeout} of
 * {@value #MX_PID}, as MX delivery and DKIM key lookups read them, so that one setting points all
 * of Mailslot's DNS at the same server; answers are kept for their TTL. Read through Config Admin
 * (binding it as this component's configuration would take it from the transport bundle); changes
 * apply at once and empty the cache.
 */
@Component(service = {AuthDns.class, ConfigurationListener.class})
public final class AuthDns implements ConfigurationListener {

    static final String MX_PID = MxDnsSettings.PID;

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
        MxDnsSettings settings = MxDnsSettings.defaults();
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + MX_PID + ")");
            if (configurations != null && configurations.length > 0) {
                settings = MxDnsSettings.of(configurations[0].getProperties());
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} for SPF and DMARC lookups; using the system's resolvers: {}", MX_PID, e.toString());
        }
        DnsJavaQuery query;
        try {
            query = new DnsJavaQuery(settings.resolver(), settings.timeout());
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); SPF and DMARC lookups use the system's resolvers", MX_PID,
                    e.getMessage());
            query = new DnsJavaQuery("", settings.timeout());
        }
        cached = new CachingDnsQuery(query, Clock.systemUTC());
        LOG.info("SPF and DMARC lookups use {}", query);
    }
}
