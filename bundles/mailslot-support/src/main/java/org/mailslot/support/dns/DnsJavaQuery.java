package org.mailslot.support.dns;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Queries with dnsjava against one server ({@code org.mailslot.mx resolver}) or the system's
 * resolvers, CNAMEs followed, nothing kept (see {@link CachingDnsQuery}).
 */
public final class DnsJavaQuery implements DnsQuery {

    private final Resolver resolver;
    private final String description;

    /**
     * @param resolver {@code host:port}, {@code host} or {@code [v6]:port}; empty for the system's resolvers
     * @param timeout how long one query may take
     * @throws IllegalArgumentException if the address cannot be parsed or resolved
     */
    public DnsJavaQuery(String resolver, Duration timeout) {
        this.resolver = DnsResolvers.of(resolver, timeout);
        this.description = DnsResolvers.describe(resolver);
    }

    @Override
    public DnsAnswer query(String name, int type) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            return DnsAnswer.nxdomain();
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> found(records, type);
            case Lookup.HOST_NOT_FOUND -> DnsAnswer.nxdomain();
            case Lookup.TYPE_NOT_FOUND -> DnsAnswer.nodata();
            default -> DnsAnswer.failed(Type.string(type) + " lookup of " + name + " at " + description + " failed: "
                    + lookup.getErrorString());
        };
    }

    private static DnsAnswer found(Record[] records, int type) {
        List<Record> ofType = Arrays.stream(records).filter(r -> r.getType() == type).toList();
        long ttl = ofType.stream().mapToLong(Record::getTTL).min().orElse(0);
        return DnsAnswer.found(ofType, ttl);
    }

    @Override
    public String toString() {
        return "DNS via " + description;
    }
}
