package org.mailslot.support.dns;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS questions of MTA-STS and TLS reporting, asked with dnsjava of the resolver MX delivery
 * uses ({@code org.mailslot.mx resolver}): TXT records ({@code _mta-sts}, {@code _smtp._tls}), and the
 * addresses of the hosts that serve policies and take reports, so that one DNS server answers for
 * everything Mailslot delivers to. Uncached: the callers cache what they learn. Thread-safe.
 */
public final class PolicyDns {

    private final Resolver resolver;
    private final String description;

    /**
     * @param resolver {@code host:port} or {@code host}; empty for the system's resolvers
     * @param timeout how long one query may take
     */
    public PolicyDns(String resolver, Duration timeout) {
        this.resolver = DnsResolvers.of(resolver, timeout);
        this.description = DnsResolvers.describe(resolver);
    }

    /**
     * @param name a DNS name
     * @return the TXT records at the name, each its strings joined; empty if the name has none or
     *     does not exist
     * @throws IOException if no answer came (SERVFAIL, a timeout)
     */
    public Optional<List<String>> txt(String name) throws IOException {
        Lookup lookup = lookup(name, Type.TXT);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<String> texts = new ArrayList<>();
                for (Record record : records) {
                    if (record instanceof TXTRecord txt) {
                        texts.add(String.join("", txt.getStrings()));
                    }
                }
                return Optional.of(texts);
            }
            case Lookup.TYPE_NOT_FOUND, Lookup.HOST_NOT_FOUND -> {
                return Optional.empty();
            }
            default -> throw new IOException("TXT lookup for " + name + " failed: " + lookup.getErrorString());
        }
    }

    /**
     * @param host a host name
     * @return its IPv4 addresses, then its IPv6 ones
     * @throws IOException if it has none, or no answer came
     */
    public List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
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
            } else if (lookup.getResult() != Lookup.TYPE_NOT_FOUND && lookup.getResult() != Lookup.HOST_NOT_FOUND) {
                failures.add(Type.string(type) + " lookup failed: " + lookup.getErrorString());
            }
        }
        if (found.isEmpty()) {
            throw new IOException(host + " has no address in DNS (" + description
                    + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)) + ")");
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

    /** @return the resolver asked, for messages */
    @Override
    public String toString() {
        return description;
    }
}
