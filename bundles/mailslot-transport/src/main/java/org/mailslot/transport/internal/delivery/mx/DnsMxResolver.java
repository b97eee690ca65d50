package org.mailslot.transport.internal.delivery.mx;

import java.net.IDN;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.mailslot.support.dns.DnsResolvers;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * MX lookup with dnsjava, against a configured resolver or the system's: MX records by
 * preference; no MX record means the domain itself (the implicit MX, RFC 5321 section 5); a
 * single MX of "." means the domain accepts no mail (null MX, RFC 7505). Host addresses are
 * resolved through the same resolver, so a test's DNS server answers for everything. Results
 * are not cached beyond one call: the spool's retry schedule is coarser than DNS TTLs.
 *
 * <p>Only answers decide that a domain takes no mail: NXDOMAIN, a null MX, or neither MX nor A
 * nor AAAA records. A lookup that could not get an answer (SERVFAIL, a timeout, a network error)
 * is a temporary failure, whichever question it was, so the message waits for DNS to recover
 * instead of bouncing.
 */
public final class DnsMxResolver implements MxResolver {

    private final Resolver resolver;

    /**
     * @param resolver {@code host:port} or {@code host} (port 53) of the DNS server to ask; empty
     *     for the system's resolvers
     * @param timeout how long one query may take
     * @throws IllegalArgumentException if the address cannot be parsed or resolved
     */
    public DnsMxResolver(String resolver, Duration timeout) {
        this.resolver = DnsResolvers.of(resolver, timeout);
    }

    @Override
    public List<MxHost> resolve(String domain) throws MxLookupException {
        String ascii = ascii(domain);
        Name name = name(ascii);
        Lookup mx = lookup(name, Type.MX);
        Record[] records = mx.run();
        switch (mx.getResult()) {
            case Lookup.SUCCESSFUL:
                return hosts(domain, records);
            case Lookup.TYPE_NOT_FOUND:
                Addresses implicit = addresses(name);
                if (!implicit.found().isEmpty()) {
                    return List.of(new MxHost(ascii, 0, implicit.found()));
                }
                if (!implicit.failures().isEmpty()) {
                    throw new MxLookupException(domain + " has no MX record, and its address lookup failed: "
                            + String.join("; ", implicit.failures()), false, "4.4.3");
                }
                throw new MxLookupException(domain + " has neither MX nor address records", true, "5.1.2");
            case Lookup.HOST_NOT_FOUND:
                throw new MxLookupException("domain " + domain + " does not exist", true, "5.1.2");
            default:
                throw new MxLookupException("MX lookup for " + domain + " failed: " + mx.getErrorString(), false, "4.4.3");
        }
    }

    private List<MxHost> hosts(String domain, Record[] records) throws MxLookupException {
        List<MXRecord> mxs = new ArrayList<>();
        for (Record record : records) {
            if (record instanceof MXRecord m) {
                mxs.add(m);
            }
        }
        if (mxs.size() == 1 && mxs.get(0).getTarget().equals(Name.root)) {
            throw new MxLookupException(domain + " accepts no mail (null MX)", true, "5.1.10");
        }
        Collections.shuffle(mxs, ThreadLocalRandom.current());
        mxs.sort(Comparator.comparingInt(MXRecord::getPriority));
        Map<String, MxHost> hosts = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (MXRecord record : mxs) {
            if (record.getTarget().equals(Name.root)) {
                continue;
            }
            String host = record.getTarget().toString(true);
            if (!hosts.containsKey(host)) {
                Addresses addresses = addresses(record.getTarget());
                failures.addAll(addresses.failures());
                if (!addresses.found().isEmpty()) {
                    hosts.put(host, new MxHost(host, record.getPriority(), addresses.found()));
                }
            }
        }
        if (hosts.isEmpty()) {
            throw new MxLookupException("no MX host of " + domain + " has an address"
                    + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)), false, "4.4.3");
        }
        return List.copyOf(hosts.values());
    }

    /**
     * @param found the IPv4 addresses, then the IPv6 ones
     * @param failures the A or AAAA lookups that got no answer, each as one line
     */
    private record Addresses(List<String> found, List<String> failures) {
    }

    /** A then AAAA: an answer without records is no address; no answer at all is a failure. */
    private Addresses addresses(Name host) {
        List<String> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(host, type);
            Record[] records = lookup.run();
            switch (lookup.getResult()) {
                case Lookup.SUCCESSFUL -> {
                    for (Record record : records) {
                        if (record instanceof ARecord a) {
                            found.add(a.getAddress().getHostAddress());
                        } else if (record instanceof AAAARecord aaaa) {
                            found.add(aaaa.getAddress().getHostAddress());
                        }
                    }
                }
                case Lookup.TYPE_NOT_FOUND, Lookup.HOST_NOT_FOUND -> {
                    // An answer: this name has no address of the type.
                }
                default -> failures.add(Type.string(type) + " lookup for " + host.toString(true) + " failed: "
                        + lookup.getErrorString());
            }
        }
        return new Addresses(found, failures);
    }

    private Lookup lookup(Name name, int type) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        // A private cache per lookup: answers from a previous resolver configuration never leak in.
        lookup.setCache(null);
        return lookup;
    }

    private static String ascii(String domain) throws MxLookupException {
        try {
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new MxLookupException("domain " + domain + " is not a valid DNS name: " + e.getMessage(), true, "5.1.2");
        }
    }

    private static Name name(String ascii) throws MxLookupException {
        try {
            return Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
        } catch (TextParseException e) {
            throw new MxLookupException("domain " + ascii + " is not a valid DNS name: " + e.getMessage(), true, "5.1.2");
        }
    }
}
