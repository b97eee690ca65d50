package org.mailslot.auth.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.mailslot.api.auth.SpfResult;
import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.Type;

/**
 * One run of RFC 7208's {@code check_host()} with its recursion through include and redirect,
 * sharing the limits of section 4.6.4: 10 mechanisms and modifiers that ask DNS, 2 void lookups,
 * 10 MX names per {@code mx}, 10 PTR names per {@code ptr}. Not thread-safe: one per check.
 */
final class SpfEvaluation {

    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    /** What check_host() came to, and why. */
    record Outcome(SpfResult result, String reason) {
    }

    private final DnsQuery dns;
    private final SpfMacros.Context context;
    private int lookups;
    private int voidLookups;
    private String validatedName;

    /**
     * @param dns where records come from
     * @param sender the address checked ({@code postmaster@helo} for the HELO identity)
     * @param client the client's address
     * @param helo the HELO name
     * @param receiver this host's name, for explanations ({@code %{r}})
     */
    SpfEvaluation(DnsQuery dns, String sender, InetAddress client, String helo, String receiver) {
        this.dns = dns;
        this.context = new SpfMacros.Context(sender, "", client, helo, receiver, this::validatedName);
    }

    /** @return check_host() for the domain: none for a malformed domain or one without a record */
    Outcome checkHost(String domain) {
        try {
            return evaluate(domain, false);
        } catch (SpfAbort e) {
            return new Outcome(e.result(), e.getMessage());
        }
    }

    private Outcome evaluate(String domain, boolean nested) throws SpfAbort {
        SpfMacros.Context here = context.withDomain(domain);
        SpfRecord record = record(domain);
        if (record == null) {
            return new Outcome(SpfResult.NONE, "no SPF record at " + domain);
        }
        for (SpfRecord.Mechanism mechanism : record.mechanisms()) {
            if (mechanism.countsAsLookup()) {
                countLookup(mechanism.text());
            }
            if (matches(mechanism, here)) {
                String reason = "'" + mechanism.text() + "' in the record of " + domain;
                if (mechanism.qualifier() == SpfResult.FAIL && !nested && record.explanation() != null) {
                    reason = explanation(record.explanation(), here).orElse(reason);
                }
                return new Outcome(mechanism.qualifier(), reason);
            }
        }
        if (record.redirect() != null) {
            countLookup("redirect=" + record.redirect());
            String target = target(record.redirect(), here);
            Outcome redirected = evaluate(target, nested);
            if (redirected.result() == SpfResult.NONE) {
                throw SpfAbort.permerror("redirect of " + domain + " to " + target + ", which has no SPF record");
            }
            return redirected;
        }
        return new Outcome(SpfResult.NEUTRAL, "no mechanism matched in the record of " + domain);
    }

    /** @return the domain's one SPF record, null if it has none or is not a valid domain */
    private SpfRecord record(String domain) throws SpfAbort {
        if (!DomainNames.isMultiLabel(domain)) {
            return null;
        }
        DnsAnswer answer = dns.query(domain, Type.TXT);
        if (answer.failed()) {
            throw SpfAbort.temperror(answer.error());
        }
        List<String> records = answer.texts().stream().filter(SpfRecord::isSpf).toList();
        if (records.size() > 1) {
            throw SpfAbort.permerror(domain + " publishes " + records.size() + " SPF records");
        }
        if (records.isEmpty()) {
            return null;
        }
        return SpfRecord.parse(records.get(0));
    }

    private boolean matches(SpfRecord.Mechanism mechanism, SpfMacros.Context here) throws SpfAbort {
        InetAddress client = context.client();
        return switch (mechanism.type()) {
            case ALL -> true;
            case IP4, IP6 -> sameFamily(client, mechanism.network())
                    && inNetwork(client, mechanism.network(), prefix(mechanism, client));
            case A -> anyInNetwork(addresses(target(mechanism, here)), mechanism);
            case MX -> {
                List<String> exchanges = names(target(mechanism, here), Type.MX);
                if (exchanges.size() > MAX_NAMES) {
                    throw SpfAbort.permerror("'" + mechanism.text() + "': more than " + MAX_NAMES + " MX records");
                }
                for (String exchange : exchanges) {
                    if (anyInNetwork(addresses(exchange), mechanism)) {
                        yield true;
                    }
                }
                yield false;
            }
            case PTR -> {
                String target = target(mechanism, here);
                yield validatedNames().stream().anyMatch(name -> name.equals(target) || name.endsWith("." + target));
            }
            case EXISTS -> {
                DnsAnswer answer = query(target(mechanism, here), Type.A);
                yield !answer.addresses().isEmpty();
            }
            case INCLUDE -> {
                String target = target(mechanism, here);
                Outcome included = evaluate(target, true);
                yield switch (included.result()) {
                    case PASS -> true;
                    case FAIL, SOFTFAIL, NEUTRAL -> false;
                    case NONE -> throw SpfAbort.permerror("include of " + target + ", which has no SPF record");
                    case TEMPERROR, PERMERROR -> throw included.result() == SpfResult.TEMPERROR
                            ? SpfAbort.temperror(included.reason()) : SpfAbort.permerror(included.reason());
                };
            }
        };
    }

    private void countLookup(String term) throws SpfAbort {
        if (++lookups > MAX_LOOKUPS) {
            throw SpfAbort.permerror("more than " + MAX_LOOKUPS + " DNS lookups (at '" + term + "')");
        }
    }

    private DnsAnswer query(String name, int type) throws SpfAbort {
        DnsAnswer answer = dns.query(name, type);
        if (answer.failed()) {
            throw SpfAbort.temperror(answer.error());
        }
        if (answer.isVoid() && ++voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfAbort.permerror("more than " + MAX_VOID_LOOKUPS + " void DNS lookups (at " + name + ")");
        }
        return answer;
    }

    private List<InetAddress> addresses(String name) throws SpfAbort {
        return query(name, context.client() instanceof Inet6Address ? Type.AAAA : Type.A).addresses();
    }

    private List<String> names(String name, int type) throws SpfAbort {
        return query(name, type).names();
    }

    private String target(SpfRecord.Mechanism mechanism, SpfMacros.Context here) throws SpfAbort {
        return mechanism.domainSpec() == null ? here.domain() : target(mechanism.domainSpec(), here);
    }

    /** A domain-spec expanded, and shortened from the left to 253 octets (RFC 7208 section 7.3). */
    private String target(String domainSpec, SpfMacros.Context here) throws SpfAbort {
        String name = DomainNames.normalize(SpfMacros.expand(domainSpec, here, false));
        while (name.length() > 253 && name.indexOf('.') >= 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return name;
    }

    private java.util.Optional<String> explanation(String domainSpec, SpfMacros.Context here) {
        try {
            DnsAnswer answer = dns.query(target(domainSpec, here), Type.TXT);
            List<String> texts = answer.texts();
            if (texts.size() != 1) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(SpfMacros.expand(texts.get(0), here, true));
        } catch (SpfAbort e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The client's names that resolve back to it (RFC 7208 section 5.5): at most 10 PTR names; a DNS
     * error on the way only makes the list shorter.
     */
    private List<String> validatedNames() throws SpfAbort {
        InetAddress client = context.client();
        DnsAnswer ptr = dns.query(reverseName(client), Type.PTR);
        if (ptr.failed()) {
            return List.of();
        }
        if (ptr.isVoid() && ++voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfAbort.permerror("more than " + MAX_VOID_LOOKUPS + " void DNS lookups (at the PTR of " + client.getHostAddress() + ")");
        }
        List<String> names = ptr.names();
        return names.subList(0, Math.min(MAX_NAMES, names.size())).stream().filter(name -> {
            DnsAnswer forward = dns.query(name, client instanceof Inet6Address ? Type.AAAA : Type.A);
            return forward.addresses().contains(client);
        }).toList();
    }

    /** {@code %{p}}: a validated name of the client in the current domain, else any, else {@code unknown}. */
    private String validatedName() {
        if (validatedName == null) {
            List<String> names;
            try {
                names = validatedNames();
            } catch (SpfAbort e) {
                names = List.of();
            }
            validatedName = names.isEmpty() ? "unknown" : names.get(0);
        }
        return validatedName;
    }

    static String reverseName(InetAddress address) {
        if (address instanceof Inet6Address) {
            return new StringBuilder(SpfMacros.dotted(address)).reverse() + ".ip6.arpa";
        }
        byte[] b = address.getAddress();
        return (b[3] & 0xff) + "." + (b[2] & 0xff) + "." + (b[1] & 0xff) + "." + (b[0] & 0xff) + ".in-addr.arpa";
    }

    private boolean anyInNetwork(List<InetAddress> addresses, SpfRecord.Mechanism mechanism) {
        InetAddress client = context.client();
        int prefix = prefix(mechanism, client);
        return addresses.stream().anyMatch(a -> sameFamily(client, a) && inNetwork(client, a, prefix));
    }

    private static int prefix(SpfRecord.Mechanism mechanism, InetAddress client) {
        return client instanceof Inet6Address ? mechanism.ip6Prefix() : mechanism.ip4Prefix();
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet6Address) == (b instanceof Inet6Address);
    }

    static boolean inNetwork(InetAddress address, InetAddress network, int prefix) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }
}
