package org.mailslot.auth.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The public suffix list (publicsuffix.org's format, Debian's {@code publicsuffix} package) and
 * the organizational domain of RFC 7489 section 3.2: the public suffix plus one label. Rules of
 * both the ICANN and the private section count, as OpenDMARC reads them. Immutable.
 */
final class PublicSuffixList {

    private final Set<String> rules;
    private final Set<String> wildcards;
    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    /**
     * @throws IOException if the file cannot be read, or holds no rule (not a suffix list)
     */
    static PublicSuffixList read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            PublicSuffixList list = parse(reader);
            if (list.rules.isEmpty() && list.wildcards.isEmpty()) {
                throw new IOException(file + " holds no public suffix rule");
            }
            return list;
        }
    }

    static PublicSuffixList parse(Reader text) throws IOException {
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        BufferedReader lines = new BufferedReader(text);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String rule = line.strip();
            int space = rule.indexOf(' ');
            if (space >= 0) {
                rule = rule.substring(0, space);
            }
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            if (rule.startsWith("!")) {
                exceptions.add(ascii(rule.substring(1)));
            } else if (rule.startsWith("*.")) {
                wildcards.add(ascii(rule.substring(2)));
            } else {
                rules.add(ascii(rule));
            }
        }
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    private static String ascii(String rule) {
        try {
            return DomainNames.normalize(IDN.toASCII(rule, IDN.ALLOW_UNASSIGNED));
        } catch (IllegalArgumentException e) {
            return DomainNames.normalize(rule);
        }
    }

    /** @return the organizational domain of a domain; the domain itself if it is a public suffix */
    String organizationalDomain(String domain) {
        String name = DomainNames.normalize(domain);
        String[] labels = name.split("\\.");
        int suffixStart = labels.length - 1; // the default rule "*"
        for (int i = 0; i < labels.length; i++) {
            String suffix = join(labels, i);
            if (exceptions.contains(suffix)) {
                suffixStart = i + 1;
                break;
            }
            if (i < suffixStart && (rules.contains(suffix)
                    || (i + 1 < labels.length && wildcards.contains(join(labels, i + 1))))) {
                suffixStart = i;
            }
        }
        return suffixStart == 0 ? name : join(labels, suffixStart - 1);
    }

    private static String join(String[] labels, int from) {
        return String.join(".", java.util.Arrays.asList(labels).subList(from, labels.length));
    }
}
