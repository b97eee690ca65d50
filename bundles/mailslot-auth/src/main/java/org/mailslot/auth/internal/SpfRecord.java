package org.mailslot.auth.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.mailslot.api.auth.SpfResult;

/**
 * One SPF record, parsed whole before it is evaluated (RFC 7208 section 4.6: a syntax error
 * anywhere is a permerror, whatever would have matched first). Immutable.
 *
 * @param mechanisms the directives in order
 * @param redirect the {@code redirect=} domain-spec, null if none
 * @param explanation the {@code exp=} domain-spec, null if none
 */
record SpfRecord(List<Mechanism> mechanisms, String redirect, String explanation) {

    enum Type { ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS }

    /**
     * @param qualifier the result if it matches
     * @param type the mechanism
     * @param domainSpec the target's macro-string, null for the current domain (or for ip4, ip6, all)
     * @param network the network of ip4/ip6, null otherwise
     * @param ip4Prefix the IPv4 prefix length (32 when absent)
     * @param ip6Prefix the IPv6 prefix length (128 when absent)
     * @param text the directive as written, for reasons
     */
    record Mechanism(SpfResult qualifier, Type type, String domainSpec, InetAddress network, int ip4Prefix,
            int ip6Prefix, String text) {

        /** @return whether evaluating it asks DNS, counting against the limit of 10 */
        boolean countsAsLookup() {
            return type == Type.INCLUDE || type == Type.A || type == Type.MX || type == Type.PTR || type == Type.EXISTS;
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?i)v=spf1( .*)?");
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern QNUM = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])");
    private static final Pattern IP4 = Pattern.compile(QNUM + "\\." + QNUM + "\\." + QNUM + "\\." + QNUM);
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern TOPLABEL = Pattern.compile("(?i)([a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])");

    SpfRecord {
        mechanisms = List.copyOf(mechanisms);
    }

    /** @return whether a TXT record is an SPF record: {@code v=spf1} alone or followed by a space */
    static boolean isSpf(String txt) {
        return VERSION.matcher(txt).matches();
    }

    /**
     * @param text an SPF record, {@code v=spf1 ...}
     * @throws SpfAbort permerror at the first syntax error
     */
    static SpfRecord parse(String text) throws SpfAbort {
        if (!isSpf(text)) {
            throw SpfAbort.permerror("not an SPF record: " + text);
        }
        List<Mechanism> mechanisms = new ArrayList<>();
        String redirect = null;
        String explanation = null;
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect" -> {
                        if (redirect != null) {
                            throw SpfAbort.permerror("redirect= appears twice");
                        }
                        redirect = domainSpec(value, term);
                    }
                    case "exp" -> {
                        if (explanation != null) {
                            throw SpfAbort.permerror("exp= appears twice");
                        }
                        explanation = domainSpec(value, term);
                    }
                    default -> SpfMacros.validate(value, false);
                }
                continue;
            }
            mechanisms.add(mechanism(term));
        }
        return new SpfRecord(mechanisms, redirect, explanation);
    }

    private static Mechanism mechanism(String term) throws SpfAbort {
        SpfResult qualifier = switch (term.charAt(0)) {
            case '-' -> SpfResult.FAIL;
            case '~' -> SpfResult.SOFTFAIL;
            case '?' -> SpfResult.NEUTRAL;
            default -> SpfResult.PASS;
        };
        String rest = "+-~?".indexOf(term.charAt(0)) >= 0 ? term.substring(1) : term;
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
            end++;
        }
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String argument = rest.substring(end);
        return switch (name) {
            case "all" -> {
                if (!argument.isEmpty()) {
                    throw SpfAbort.permerror("'" + term + "': all takes no argument");
                }
                yield new Mechanism(qualifier, Type.ALL, null, null, 32, 128, term);
            }
            case "include", "exists" -> {
                if (!argument.startsWith(":")) {
                    throw SpfAbort.permerror("'" + term + "': " + name + " needs a domain");
                }
                yield new Mechanism(qualifier, name.equals("include") ? Type.INCLUDE : Type.EXISTS,
                        domainSpec(argument.substring(1), term), null, 32, 128, term);
            }
            case "a", "mx" -> targetWithPrefixes(qualifier, name.equals("a") ? Type.A : Type.MX, argument, term);
            case "ptr" -> {
                if (argument.isEmpty()) {
                    yield new Mechanism(qualifier, Type.PTR, null, null, 32, 128, term);
                }
                if (!argument.startsWith(":")) {
                    throw SpfAbort.permerror("'" + term + "' is not a valid ptr mechanism");
                }
                yield new Mechanism(qualifier, Type.PTR, domainSpec(argument.substring(1), term), null, 32, 128, term);
            }
            case "ip4" -> network(qualifier, Type.IP4, argument, term);
            case "ip6" -> network(qualifier, Type.IP6, argument, term);
            default -> throw SpfAbort.permerror("unknown mechanism '" + term + "'");
        };
    }

    private static Mechanism targetWithPrefixes(SpfResult qualifier, Type type, String argument, String term)
            throws SpfAbort {
        String target = null;
        String prefixes = argument;
        if (argument.startsWith(":")) {
            int slash = argument.indexOf('/');
            target = domainSpec(slash < 0 ? argument.substring(1) : argument.substring(1, slash), term);
            prefixes = slash < 0 ? "" : argument.substring(slash);
        }
        int ip4 = 32;
        int ip6 = 128;
        if (!prefixes.isEmpty()) {
            if (!prefixes.startsWith("/")) {
                throw SpfAbort.permerror("'" + term + "' is not a valid " + type.name().toLowerCase(Locale.ROOT) + " mechanism");
            }
            int dual = prefixes.indexOf("//");
            if (dual >= 0) {
                ip6 = prefix(prefixes.substring(dual + 2), 128, term);
                prefixes = prefixes.substring(0, dual);
            }
            if (!prefixes.isEmpty()) {
                ip4 = prefix(prefixes.substring(1), 32, term);
            }
        }
        return new Mechanism(qualifier, type, target, null, ip4, ip6, term);
    }

    private static Mechanism network(SpfResult qualifier, Type type, String argument, String term) throws SpfAbort {
        if (!argument.startsWith(":")) {
            throw SpfAbort.permerror("'" + term + "' needs a network");
        }
        String value = argument.substring(1);
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        boolean four = type == Type.IP4;
        int length = slash < 0 ? (four ? 32 : 128) : prefix(value.substring(slash + 1), four ? 32 : 128, term);
        InetAddress network;
        if (four) {
            if (!IP4.matcher(address).matches()) {
                throw SpfAbort.permerror("'" + term + "': not an IPv4 address");
            }
            network = literal(address, term);
        } else {
            if (address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]+")) {
                throw SpfAbort.permerror("'" + term + "': not an IPv6 address");
            }
            network = literal(address, term);
            if (network instanceof Inet4Address) {
                throw SpfAbort.permerror("'" + term + "': an IPv4-mapped address in ip6");
            }
        }
        return new Mechanism(qualifier, type, null, network, four ? length : 32, four ? 128 : length, term);
    }

    private static InetAddress literal(String address, String term) throws SpfAbort {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw SpfAbort.permerror("'" + term + "': not an address");
        }
    }

    private static int prefix(String digits, int max, String term) throws SpfAbort {
        if (!PREFIX.matcher(digits).matches() || Integer.parseInt(digits) > max) {
            throw SpfAbort.permerror("'" + term + "': bad prefix length");
        }
        return Integer.parseInt(digits);
    }

    /** A domain-spec: a macro-string ending in a top label or a macro (RFC 7208 section 7.1). */
    private static String domainSpec(String spec, String term) throws SpfAbort {
        if (spec.isEmpty()) {
            throw SpfAbort.permerror("'" + term + "': empty domain");
        }
        SpfMacros.validate(spec, false);
        if (!spec.endsWith("}")) {
            String name = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
            int dot = name.lastIndexOf('.');
            if (dot < 0 || !TOPLABEL.matcher(name.substring(dot + 1)).matches()) {
                throw SpfAbort.permerror("'" + term + "': '" + spec + "' is not a fully qualified domain");
            }
        }
        return spec;
    }

    static boolean isIp6(InetAddress address) {
        return address instanceof Inet6Address;
    }
}
