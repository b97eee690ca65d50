package org.mailslot.tlsrpt.internal;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailslot.support.net.DnsServerAddress;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS questions of TLS reporting, asked of the resolver MX delivery uses ({@code org.mailslot.mx
 * resolver}): the {@code _smtp._tls} TXT records and the addresses of HTTPS report hosts. Thread-safe.
 */
final class ReportDns {

    private final Resolver resolver;
    private final String description;

    /**
     * @param resolver {@code host:port} or {@code host}; empty for the system's resolvers
     * @param timeout how long one query may take
     * @throws IllegalArgumentException if the resolver is not a valid address
     */
    ReportDns(String resolver, Duration timeout) {
        Resolver chosen = resolver == null || resolver.isBlank() ? new ExtendedResolver()
                : new SimpleResolver(DnsServerAddress.parse(resolver));
        chosen.setTimeout(timeout);
        this.resolver = chosen;
        this.description = resolver == null || resolver.isBlank() ? "the system's resolvers" : resolver;
    }

    /**
     * @return the TXT records at the name, each its strings joined; empty if there are none
     * @throws IOException if no answer came (SERVFAIL, a timeout)
     */
    List<String> txt(String name) throws IOException {
        Lookup lookup = lookup(name, Type.TXT);
        Record[] records = lookup.run();
        if (lookup.getResult() == Lookup.TYPE_NOT_FOUND || lookup.getResult() == Lookup.HOST_NOT_FOUND) {
            return List.of();
        }
        if (lookup.getResult() != Lookup.SUCCESSFUL) {
            throw new IOException("TXT lookup for " + name + " failed: " + lookup.getErrorString());
        }
        List<String> texts = new ArrayList<>();
        for (Record record : records) {
            if (record instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
            }
        }
        return texts;
    }

    /**
     * @return the host's IPv4 addresses, then its IPv6 ones
     * @throws IOException if it has none, or no answer came
     */
    List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(host, type);
            Record[] records = lookup.run();
            if (lookup.getResult() == Lookup.SUCCESSFUL) {
                for (Record record : records) {
                    if (record instanceof ARecord a) {
                        found.add(a.getAddress());
                    } else if (record instanceof AAAARecord aaaa) {
                        found.add(aaaa.getAddress());
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException(host + " has no address in DNS (" + description + ")");
        }
        return found;
    }

    private Lookup lookup(String name, int type) throws IOException {
        Name parsed;
        try {
            String ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            parsed = Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
        } catch (TextParseException | IllegalArgumentException e) {
            throw new IOException(name + " is not a valid DNS name: " + e.getMessage(), e);
        }
        Lookup lookup = new Lookup(parsed, type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        return lookup;
    }

    @Override
    public String toString() {
        return description;
    }
}
