package org.mailslot.auth.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.auth.DmarcPolicy;

/**
 * A DMARC policy record (RFC 7489 section 6.3), the tags evaluation needs. Immutable.
 *
 * @param policy {@code p=}
 * @param subdomainPolicy {@code sp=}, empty when absent (then {@code p=} applies to subdomains)
 * @param strictDkim {@code adkim=s}
 * @param strictSpf {@code aspf=s}
 * @param percent {@code pct=}, 0 to 100
 */
record DmarcRecord(DmarcPolicy policy, Optional<DmarcPolicy> subdomainPolicy, boolean strictDkim, boolean strictSpf,
        int percent) {

    /** @return whether a TXT record is a DMARC record: its first tag is {@code v=DMARC1} */
    static boolean isDmarc(String txt) {
        int semicolon = txt.indexOf(';');
        String first = (semicolon < 0 ? txt : txt.substring(0, semicolon)).strip();
        int equals = first.indexOf('=');
        return equals > 0 && first.substring(0, equals).strip().equals("v")
                && first.substring(equals + 1).strip().equals("DMARC1");
    }

    /**
     * Reads a record. Unknown tags are ignored. A record without a valid {@code p=} (or with an
     * invalid {@code sp=}) counts as {@code p=none} when it names a report address ({@code rua=}),
     * and as no record otherwise (section 6.6.3); invalid {@code adkim}, {@code aspf} and
     * {@code pct} values fall back to their defaults.
     *
     * @return the record, empty if it is to be ignored
     */
    static Optional<DmarcRecord> parse(String txt) {
        if (!isDmarc(txt)) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>();
        for (String part : txt.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                tags.putIfAbsent(part.substring(0, equals).strip().toLowerCase(Locale.ROOT), part.substring(equals + 1).strip());
            }
        }
        Optional<DmarcPolicy> policy = policy(tags.get("p"));
        Optional<DmarcPolicy> subdomain = policy(tags.get("sp"));
        boolean validSp = !tags.containsKey("sp") || subdomain.isPresent();
        if (policy.isEmpty() || !validSp) {
            if (!tags.getOrDefault("rua", "").contains(":")) {
                return Optional.empty();
            }
            return Optional.of(new DmarcRecord(DmarcPolicy.NONE, Optional.empty(), false, false, 100));
        }
        return Optional.of(new DmarcRecord(policy.get(), subdomain, "s".equalsIgnoreCase(tags.get("adkim")),
                "s".equalsIgnoreCase(tags.get("aspf")), percent(tags.get("pct"))));
    }

    private static Optional<DmarcPolicy> policy(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(DmarcPolicy.NONE);
            case "quarantine" -> Optional.of(DmarcPolicy.QUARANTINE);
            case "reject" -> Optional.of(DmarcPolicy.REJECT);
            default -> Optional.empty();
        };
    }

    private static int percent(String value) {
        if (value == null || !value.matches("[0-9]{1,3}")) {
            return 100;
        }
        int percent = Integer.parseInt(value);
        return percent > 100 ? 100 : percent;
    }
}
