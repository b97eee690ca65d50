package org.mailslot.dkim.internal;

import java.time.Clock;

import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsJavaQuery;
import org.mailslot.support.dns.MxResolverQuery;
import org.mailslot.support.net.MxDnsSettings;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The DNS every key lookup uses: {@code resolver} and {@code dns.timeout} of {@value #MX_PID}, the
 * configuration MX delivery reads, so that one setting points all of Mailslot's DNS at the same
 * server. It is read through Config Admin rather than bound as this component's configuration, which
 * would take it from the transport bundle. Changes apply at once and empty the cache.
 */
@Component(service = {KeyLookups.class, ConfigurationListener.class})
public final class KeyLookups implements ConfigurationListener {

    static final String MX_PID = MxDnsSettings.PID;

    private final ConfigurationAdmin configurationAdmin;
    private volatile KeyLookup cached;
    private volatile KeyLookup direct;

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
        DnsJavaQuery dns = MxResolverQuery.read(configurationAdmin, "DKIM key lookups");
        direct = new DnsKeyLookup(dns);
        cached = new DnsKeyLookup(new CachingDnsQuery(dns, Clock.systemUTC()));
    }
}
