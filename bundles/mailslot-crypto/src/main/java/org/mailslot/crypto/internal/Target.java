package org.mailslot.crypto.internal;

import java.util.Objects;

import org.mailslot.api.mail.MailAddress;

/**
 * Whom a rule names: one address ({@code alice@example.org}), one domain ({@code example.org})
 * or every subdomain of a domain ({@code *.example.org}, not the domain itself). A more specific
 * target wins: an address over a domain, a domain over a wildcard, a longer wildcard over a
 * shorter one.
 */
record Target(Kind kind, String value) {

    enum Kind { ADDRESS, DOMAIN, SUBDOMAINS }

    Target {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /**
     * @param text an address, a domain or {@code *.}domain
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Target parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("an empty address or domain");
        }
        if (trimmed.contains("@")) {
            MailAddress address = MailAddress.parse(trimmed);
            return new Target(Kind.ADDRESS, address.localPart() + "@" + address.normalizedDomain());
        }
        if (trimmed.startsWith("*.")) {
            return new Target(Kind.SUBDOMAINS, checkedDomain(trimmed.substring(2), trimmed));
        }
        return new Target(Kind.DOMAIN, checkedDomain(trimmed, trimmed));
    }

    private static String checkedDomain(String domain, String original) {
        try {
            return MailAddress.parse("postmaster@" + domain).normalizedDomain();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + original + "' is neither an address nor a domain"
                    + " (alice@example.org, example.org or *.example.org)");
        }
    }

    /** @return true if this target names the address */
    boolean matches(MailAddress address) {
        String domain = address.normalizedDomain();
        return switch (kind) {
            case ADDRESS -> value.equals(address.localPart() + "@" + domain);
            case DOMAIN -> value.equals(domain);
            case SUBDOMAINS -> domain.endsWith("." + value);
        };
    }

    /** @return larger for more specific targets */
    int specificity() {
        return switch (kind) {
            case ADDRESS -> Integer.MAX_VALUE;
            case DOMAIN -> Integer.MAX_VALUE - 1;
            case SUBDOMAINS -> value.length();
        };
    }

    @Override
    public String toString() {
        return kind == Kind.SUBDOMAINS ? "*." + value : value;
    }
}
