package org.mailslot.spool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code local.recipients} parsed: which addresses in the local domains have a mailbox. Each entry
 * is one of
 * <ul>
 * <li>{@code *}: any address;
 * <li>{@code jaas:REALM}: the users of the Karaf JAAS realm, as local parts in every local domain;
 * <li>an address, or a pattern where {@code *} stands for any run of characters
 *     ({@code bob@localhost}, {@code *@lists.example}, {@code ops-*@localhost});
 * <li>a local part alone ({@code bob}), in every local domain.
 * </ul>
 *
 * @param any whether every address is accepted
 * @param realms the realms whose users are accepted
 * @param patterns the addresses and patterns, matched against {@code localpart@domain} in lower case
 */
record RecipientRules(boolean any, List<String> realms, List<Pattern> patterns) {

    static final String PROPERTY = "local.recipients";
    static final String JAAS = "jaas:";

    RecipientRules {
        realms = List.copyOf(realms);
        patterns = List.copyOf(patterns);
    }

    /** Every local address accepted. */
    static final RecipientRules ANY = new RecipientRules(true, List.of(), List.of());

    /**
     * @param entries the configured entries (a list, or comma-separated values)
     * @throws IllegalArgumentException naming the property and the entry that is none of the forms
     */
    static RecipientRules parse(List<String> entries) {
        boolean any = false;
        List<String> realms = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                any = true;
            } else if (entry.regionMatches(true, 0, JAAS, 0, JAAS.length())) {
                String realm = entry.substring(JAAS.length()).strip();
                if (realm.isEmpty()) {
                    throw new IllegalArgumentException(PROPERTY + ": " + entry + " names no realm (jaas:karaf)");
                }
                realms.add(realm);
            } else {
                patterns.add(pattern(entry));
            }
        }
        return new RecipientRules(any, realms, patterns);
    }

    private static Pattern pattern(String entry) {
        if (entry.chars().anyMatch(c -> Character.isWhitespace(c) || c == '<' || c == '>' || c == '"')
                || entry.indexOf('@') != entry.lastIndexOf('@') || entry.startsWith("@") || entry.endsWith("@")) {
            throw new IllegalArgumentException(PROPERTY + ": " + entry + " is not an address, a pattern such as"
                    + " *@example.org, a local part, jaas:REALM or *");
        }
        String address = entry.toLowerCase(Locale.ROOT);
        String glob = address.contains("@") ? address : address + "@*";
        List<String> parts = new ArrayList<>();
        for (String part : glob.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        String regex = String.join(".*", parts);
        return Pattern.compile(regex);
    }

    /** @return whether an address pattern accepts {@code address} ({@code localpart@domain}, lower case) */
    boolean listed(String address) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(address).matches()) {
                return true;
            }
        }
        return false;
    }

}
