package org.mailslot.transport.internal.delivery.dane;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.support.dns.DnssecLookups.Answer;
import org.mailslot.support.dns.DnssecLookups.Security;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What DNSSEC says of one MX host for DANE (RFC 7672 section 2.2): its address records, and the TLSA
 * records at its TLSA base domain.
 *
 * <p>The A and AAAA RRsets must validate for DANE to apply (2.2.2): insecure ones leave the TLSA
 * records unasked. When they do and the host name is an alias, the TLSA base domain is the
 * CNAME-expanded name (the AD bit covers the CNAMEs too), and the host name itself when the expanded
 * name has no validated TLSA records (2.2.3).
 *
 * @param addresses the A and AAAA RRsets as one answer: the worse status of the two, the detail of a
 *     bogus or failed one, the name their CNAMEs lead to
 * @param tlsaName the owner name the TLSA records were asked at; empty when they were not asked
 * @param tlsa the TLSA answer at {@code tlsaName}; empty when the addresses are not secure
 * @param names the host's names, expanded first: the reference identifiers of DANE-TA (3.2.2)
 */
public record HostTlsa(Answer addresses, Optional<Name> tlsaName, Optional<Answer> tlsa, List<String> names) {

    public HostTlsa {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(tlsaName, "tlsaName");
        Objects.requireNonNull(tlsa, "tlsa");
        names = List.copyOf(names);
    }

    /**
     * @param dnssec the validated lookups
     * @param host the MX host name, with or without the trailing dot
     * @param port the port connected to, for the TLSA owner name ({@code _25._tcp.HOST})
     */
    public static HostTlsa lookup(DnssecLookups dnssec, String host, int port) {
        Name name;
        try {
            name = Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (TextParseException e) {
            Answer failed = Answer.failed(Name.root, host + " is not a host name: " + e.getMessage());
            return new HostTlsa(failed, Optional.empty(), Optional.empty(), List.of());
        }
        Answer addresses = addresses(dnssec, name);
        List<String> names = new ArrayList<>(new LinkedHashSet<>(List.of(addresses.name().toString(true),
                name.toString(true))));
        if (!addresses.secure()) {
            return new HostTlsa(addresses, Optional.empty(), Optional.empty(), names);
        }
        if (!addresses.name().equals(name)) {
            Name expanded = tlsaName(addresses.name(), port);
            Answer tlsa = dnssec.query(expanded, Type.TLSA);
            if (tlsa.security() == Security.BOGUS || tlsa.security() == Security.FAILED
                    || tlsa.secure() && !tlsa.records().isEmpty()) {
                return new HostTlsa(addresses, Optional.of(expanded), Optional.of(tlsa), names);
            }
        }
        Name original = tlsaName(name, port);
        return new HostTlsa(addresses, Optional.of(original), Optional.of(dnssec.query(original, Type.TLSA)), names);
    }

    /** @return the TLSA owner name of a host's port (RFC 6698 section 3) */
    public static Name tlsaName(Name host, int port) {
        try {
            return Name.concatenate(Name.fromString("_" + port + "._tcp"), host);
        } catch (TextParseException | NameTooLongException e) {
            throw new IllegalArgumentException("no TLSA name for port " + port + " of " + host + ": " + e.getMessage(), e);
        }
    }

    /** @return the A and AAAA answers of {@code name} as one: the worse status, the records of both */
    public static Answer addresses(DnssecLookups dnssec, Name name) {
        Answer a = dnssec.query(name, Type.A);
        Answer aaaa = dnssec.query(name, Type.AAAA);
        Answer worse = rank(aaaa.security()) > rank(a.security()) ? aaaa : a;
        Answer named = a.records().isEmpty() && !aaaa.records().isEmpty() ? aaaa : a;
        List<Record> records = new ArrayList<>(a.records());
        records.addAll(aaaa.records());
        return new Answer(worse.security(), named.name(), records, worse.detail());
    }

    private static int rank(Security security) {
        return switch (security) {
            case SECURE -> 0;
            case INSECURE -> 1;
            case FAILED -> 2;
            case BOGUS -> 3;
        };
    }
}
