package org.mailslot.support.net;

import java.time.Duration;
import java.util.Dictionary;

import org.mailslot.support.config.DurationProperty;

/**
 * The DNS every lookup of Mailslot's shares: {@code resolver} and {@code dns.timeout} of
 * {@value #PID}, the MX delivery's configuration, read alike by the bundles that look names up with
 * it (MX delivery, DKIM key lookups, SPF and DMARC), so that one setting points them all at one server.
 *
 * @param resolver {@code host}, {@code host:port} or {@code [v6]:port} ({@link DnsServerAddress}); empty
 *     for the system's resolvers
 * @param timeout how long one lookup may take
 */
public record MxDnsSettings(String resolver, Duration timeout) {

    /** The configuration the settings are read from. */
    public static final String PID = "org.mailslot.mx";

    /** {@code dns.timeout} when it is not set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** @return the system's resolvers with the default timeout: what applies without a configuration */
    public static MxDnsSettings defaults() {
        return new MxDnsSettings("", DEFAULT_TIMEOUT);
    }

    /**
     * @param properties the configuration's properties, null when it has none
     * @return the settings
     * @throws IllegalArgumentException naming {@code dns.timeout} and the value if it is not a positive duration
     */
    public static MxDnsSettings of(Dictionary<String, ?> properties) {
        if (properties == null) {
            return defaults();
        }
        Object resolver = properties.get("resolver");
        Object timeout = properties.get("dns.timeout");
        return new MxDnsSettings(resolver == null ? "" : resolver.toString().strip(),
                timeout == null ? DEFAULT_TIMEOUT : DurationProperty.positive(PID + " dns.timeout", timeout));
    }
}
