package org.mailslot.support.dns;

import java.time.Duration;

import org.mailslot.support.net.DnsServerAddress;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * The DNS server every lookup of Mailslot asks: the one {@code org.mailslot.mx resolver} names, or the
 * system's resolvers when it names none.
 */
public final class DnsResolvers {

    private DnsResolvers() {
    }

    /**
     * @param resolver {@code host:port}, {@code host} (port 53) or {@code [v6]:port}; empty or null for the
     *     system's resolvers
     * @param timeout how long one query may take
     * @return a new dnsjava resolver
     * @throws IllegalArgumentException if the address cannot be parsed or resolved
     */
    public static Resolver of(String resolver, Duration timeout) {
        Resolver chosen = system(resolver) ? new ExtendedResolver() : new SimpleResolver(DnsServerAddress.parse(resolver));
        chosen.setTimeout(timeout);
        return chosen;
    }

    /** @return the resolver as messages name it: its address, or {@code the system's resolvers} */
    public static String describe(String resolver) {
        return system(resolver) ? "the system's resolvers" : resolver.strip();
    }

    private static boolean system(String resolver) {
        return resolver == null || resolver.isBlank();
    }
}
