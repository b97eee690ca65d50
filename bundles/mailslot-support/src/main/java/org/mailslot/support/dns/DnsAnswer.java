package org.mailslot.support.dns;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * The answer to one DNS query: records, no such name, no records of the type, or no answer at all.
 * Immutable.
 *
 * @param kind what came back
 * @param records the records of the asked type, empty unless {@link Kind#FOUND}
 * @param ttlSeconds how long the answer may be kept
 * @param error why there was no answer, for {@link Kind#FAILED}
 */
public record DnsAnswer(Kind kind, List<Record> records, long ttlSeconds, String error) {

    public enum Kind {
        FOUND,
        /** RCODE 3. */
        NXDOMAIN,
        /** RCODE 0 without records of the type. */
        NODATA,
        /** A timeout, SERVFAIL or network error: RFC 7208 temperror. */
        FAILED
    }

    public DnsAnswer {
        Objects.requireNonNull(kind, "kind");
        records = List.copyOf(records);
        error = error == null ? "" : error;
    }

    public static DnsAnswer found(List<Record> records, long ttlSeconds) {
        return records.isEmpty() ? new DnsAnswer(Kind.NODATA, List.of(), ttlSeconds, "")
                : new DnsAnswer(Kind.FOUND, records, ttlSeconds, "");
    }

    public static DnsAnswer nxdomain() {
        return new DnsAnswer(Kind.NXDOMAIN, List.of(), 0, "");
    }

    public static DnsAnswer nodata() {
        return new DnsAnswer(Kind.NODATA, List.of(), 0, "");
    }

    public static DnsAnswer failed(String error) {
        return new DnsAnswer(Kind.FAILED, List.of(), 0, error);
    }

    public boolean failed() {
        return kind == Kind.FAILED;
    }

    /** @return whether it is a void lookup (RFC 7208 section 4.6.4): NXDOMAIN or no records */
    public boolean isVoid() {
        return kind == Kind.NXDOMAIN || kind == Kind.NODATA;
    }

    /** @return each TXT record's strings joined, as RFC 7208 section 3.3 and RFC 7489 section 6.6.3 read them */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (Record record : records) {
            if (record instanceof TXTRecord txt) {
                StringBuilder joined = new StringBuilder();
                for (byte[] part : txt.getStringsAsByteArrays()) {
                    joined.append(new String(part, StandardCharsets.ISO_8859_1));
                }
                texts.add(joined.toString());
            }
        }
        return texts;
    }

    /** @return the A and AAAA addresses */
    public List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : records) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress());
            } else if (record instanceof AAAARecord aaaa) {
                addresses.add(aaaa.getAddress());
            }
        }
        return addresses;
    }

    /** @return the MX exchanges or PTR targets, lower case, without the final dot */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Record record : records) {
            if (record instanceof MXRecord mx) {
                names.add(normalize(mx.getTarget().toString()));
            } else if (record instanceof PTRRecord ptr) {
                names.add(normalize(ptr.getTarget().toString()));
            }
        }
        return names;
    }

    /** @return the name in lower case, without the final dot */
    public static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
