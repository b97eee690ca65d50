package org.mailslot.auth.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * RFC 7208 section 7: checks macro-strings when a record is parsed, and expands them for one check.
 * {@code c}, {@code r} and {@code t} are allowed only in explanations.
 */
final class SpfMacros {

    private static final String DELIMITERS = ".-+,/_=";

    /**
     * What the macro letters stand for in one check.
     *
     * @param sender {@code s}: the address checked
     * @param domain {@code d}: the domain whose record is evaluated
     * @param client {@code i}, {@code c}, {@code v}
     * @param helo {@code h}
     * @param receiver {@code r}
     * @param validatedName {@code p}, looked up only when used
     */
    record Context(String sender, String domain, InetAddress client, String helo, String receiver,
            Supplier<String> validatedName) {

        Context withDomain(String other) {
            return new Context(sender, other, client, helo, receiver, validatedName);
        }
    }

    private SpfMacros() {
    }

    /**
     * @throws SpfAbort permerror if the string is not a valid macro-string
     */
    static void validate(String spec, boolean explanation) throws SpfAbort {
        expand(spec, null, explanation);
    }

    /**
     * @param context the check's values; null only validates
     * @return the expansion
     * @throws SpfAbort permerror if the string is not a valid macro-string
     */
    static String expand(String spec, Context context, boolean explanation) throws SpfAbort {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c != '%') {
                if (c < 0x21 || c > 0x7e) {
                    if (!(explanation && c == ' ')) {
                        throw SpfAbort.permerror("invalid character in '" + spec + "'");
                    }
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw SpfAbort.permerror("'%' at the end of '" + spec + "'");
            }
            char next = spec.charAt(i + 1);
            switch (next) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int close = spec.indexOf('}', i + 2);
                    if (close < 0) {
                        throw SpfAbort.permerror("unterminated macro in '" + spec + "'");
                    }
                    out.append(macro(spec.substring(i + 2, close), spec, context, explanation));
                    i = close + 1;
                    continue;
                }
                default -> throw SpfAbort.permerror("'%" + next + "' is not a macro in '" + spec + "'");
            }
            i += 2;
        }
        return out.toString();
    }

    private static String macro(String body, String spec, Context context, boolean explanation) throws SpfAbort {
        if (body.isEmpty()) {
            throw SpfAbort.permerror("empty macro in '" + spec + "'");
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if ("slodiphv".indexOf(lower) < 0 && !(explanation && "crt".indexOf(lower) >= 0)) {
            throw SpfAbort.permerror("'%{" + letter + "' is not a macro letter here in '" + spec + "'");
        }
        int at = 1;
        int digitsStart = at;
        while (at < body.length() && Character.isDigit(body.charAt(at))) {
            at++;
        }
        int keep = Integer.MAX_VALUE;
        if (at > digitsStart) {
            String digits = body.substring(digitsStart, at);
            if (digits.length() > 3 || Integer.parseInt(digits) == 0) {
                throw SpfAbort.permerror("bad transformer in '" + spec + "'");
            }
            keep = Integer.parseInt(digits);
        }
        boolean reverse = false;
        if (at < body.length() && (body.charAt(at) == 'r' || body.charAt(at) == 'R')) {
            reverse = true;
            at++;
        }
        String delimiters = body.substring(at);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw SpfAbort.permerror("bad delimiter '" + d + "' in '" + spec + "'");
            }
        }
        if (context == null) {
            return "";
        }
        String value = transform(value(lower, context), keep, reverse, delimiters.isEmpty() ? "." : delimiters);
        return Character.isUpperCase(letter) ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
    }

    private static String value(char letter, Context context) {
        String sender = context.sender();
        int at = sender.lastIndexOf('@');
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> at <= 0 ? "postmaster" : sender.substring(0, at);
            case 'o' -> sender.substring(at + 1);
            case 'd' -> context.domain();
            case 'i' -> dotted(context.client());
            case 'c' -> context.client().getHostAddress();
            case 'p' -> context.validatedName().get();
            case 'h' -> context.helo();
            case 'v' -> context.client() instanceof Inet6Address ? "ip6" : "in-addr";
            case 'r' -> context.receiver();
            case 't' -> Long.toString(System.currentTimeMillis() / 1000);
            default -> throw new IllegalArgumentException(String.valueOf(letter));
        };
    }

    private static String transform(String value, int keep, boolean reverse, String delimiters) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    /** @return the address as {@code i} writes it: a dotted quad, or 32 dot-separated nibbles for IPv6 */
    static String dotted(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        StringBuilder nibbles = new StringBuilder(63);
        for (byte b : address.getAddress()) {
            if (nibbles.length() > 0) {
                nibbles.append('.');
            }
            nibbles.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b & 0xf, 16));
        }
        return nibbles.toString().toLowerCase(Locale.ROOT);
    }
}
