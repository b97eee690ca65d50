package org.mailslot.auth.internal;

import java.time.Clock;

import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsQuery;
import org.mailslot.support.dns.MxResolverQuery;
import org.mailslot.support.net.MxDnsSettings;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

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
        cached = new CachingDnsQuery(MxResolverQuery.read(configurationAdmin, "SPF and DMARC lookups"), Clock.systemUTC());
    }
}
