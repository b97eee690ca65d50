package org.mailslot.auth.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** A zone in memory for unit tests: TXT and A records, names that fail, and a count of queries. */
final class MapDns implements DnsQuery {

    private final Map<String, List<Record>> records = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    int queries;

    MapDns txt(String name, String text) {
        return add(name, new TXTRecord(name(name), DClass.IN, 300, text));
    }

    MapDns a(String name, String address) {
        try {
            return add(name, new ARecord(name(name), DClass.IN, 300, InetAddress.getByName(address)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    MapDns failing(String name) {
        failing.add(DomainNames.normalize(name));
        return this;
    }

    private MapDns add(String name, Record record) {
        records.computeIfAbsent(DomainNames.normalize(name), n -> new ArrayList<>()).add(record);
        return this;
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public synchronized DnsAnswer query(String name, int type) {
        queries++;
        String key = DomainNames.normalize(name);
        if (failing.contains(key)) {
            return DnsAnswer.failed(Type.string(type) + " lookup of " + name + " timed out");
        }
        List<Record> atName = records.get(key);
        if (atName == null) {
            return DnsAnswer.nxdomain();
        }
        return DnsAnswer.found(atName.stream().filter(r -> r.getType() == type).toList(), 300);
    }
}
