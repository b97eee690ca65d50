package org.mailslot.dkim.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailslot.support.net.DnsServerAddress;
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
 * TXT lookups with dnsjava against the resolver MX delivery uses ({@code org.mailslot.mx resolver})
 * or the system's. NXDOMAIN and an answer without TXT records are missing keys; a timeout,
 * SERVFAIL or network error is a failure to be retried, never a missing key.
 */
final class DnsKeyLookup implements KeyLookup {

    private final Resolver resolver;
    private final String description;

    /**
     * @param resolver {@code host:port}, {@code host} (port 53) or {@code [v6]:port}; empty for the system's resolvers
     * @param timeout how long one lookup may take
     * @throws IllegalArgumentException if the address cannot be parsed or resolved
     */
    DnsKeyLookup(String resolver, Duration timeout) {
        boolean system = resolver == null || resolver.isBlank();
        Resolver chosen = system ? new ExtendedResolver() : new SimpleResolver(DnsServerAddress.parse(resolver));
        chosen.setTimeout(timeout);
        this.resolver = chosen;
        this.description = system ? "the system's resolvers" : resolver.strip();
    }

    @Override
    public KeyAnswer lookup(String name) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), Type.TXT);
        } catch (TextParseException e) {
            return KeyAnswer.missing(name + " is not a valid DNS name");
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> found(records);
            case Lookup.HOST_NOT_FOUND -> KeyAnswer.missing("no key record at " + name + " (NXDOMAIN)");
            case Lookup.TYPE_NOT_FOUND -> KeyAnswer.missing("no TXT record at " + name);
            default -> KeyAnswer.failed("key lookup for " + name + " at " + description + " failed: "
                    + lookup.getErrorString());
        };
    }

    private static KeyAnswer found(Record[] records) {
        List<String> texts = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record record : records) {
            if (record instanceof TXTRecord txt) {
                StringBuilder joined = new StringBuilder();
                for (byte[] part : txt.getStringsAsByteArrays()) {
                    joined.append(new String(part, StandardCharsets.ISO_8859_1));
                }
                texts.add(joined.toString());
                ttl = Math.min(ttl, txt.getTTL());
            }
        }
        return texts.isEmpty() ? KeyAnswer.missing("no TXT record") : KeyAnswer.found(texts, ttl);
    }

    @Override
    public String toString() {
        return "DNS via " + description;
    }
}
