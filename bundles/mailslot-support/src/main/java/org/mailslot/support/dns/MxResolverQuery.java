package org.mailslot.support.dns;

import java.io.IOException;

import org.mailslot.support.net.MxDnsSettings;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries against the resolver MX delivery uses: {@code resolver} and {@code dns.timeout} of
 * {@code org.mailslot.mx}, so that one setting points all of Mailslot's DNS at the same server. Read
 * through Config Admin (binding it as a component's configuration would take it from the transport
 * bundle); a user reads it again when that configuration changes.
 */
public final class MxResolverQuery {

    private static final Logger LOG = LoggerFactory.getLogger(MxResolverQuery.class);

    private MxResolverQuery() {
    }

    /**
     * @param lookups what the queries are for, for the log ("DKIM key lookups")
     * @return queries to the configured resolver; to the system's when it is unset, unreadable or invalid (logged)
     */
    public static DnsJavaQuery read(ConfigurationAdmin configurationAdmin, String lookups) {
        MxDnsSettings settings = MxDnsSettings.defaults();
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations(
                    "(service.pid=" + MxDnsSettings.PID + ")");
            if (configurations != null && configurations.length > 0) {
                settings = MxDnsSettings.of(configurations[0].getProperties());
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} for {}; using the system's resolvers: {}", MxDnsSettings.PID, lookups, e.toString());
        }
        DnsJavaQuery query;
        try {
            query = new DnsJavaQuery(settings.resolver(), settings.timeout());
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); {} use the system's resolvers", MxDnsSettings.PID, e.getMessage(),
                    lookups);
            query = new DnsJavaQuery("", settings.timeout());
        }
        LOG.info("{} use {}", lookups, query);
        return query;
    }
}
