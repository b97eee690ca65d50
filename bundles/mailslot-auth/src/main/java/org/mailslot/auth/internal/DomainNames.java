package org.mailslot.auth.internal;

import java.util.Locale;

/** The domain-name rules SPF and DMARC share. */
final class DomainNames {

    private DomainNames() {
    }

    /** @return the name in lower case without a final dot */
    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * @return whether the name (without a final dot) has at least two labels of 1 to 63 octets,
     *     and is at most 253 octets: what RFC 7208 section 4.3 requires of a domain to check
     */
    static boolean isMultiLabel(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253 || n.indexOf('.') < 0) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = n.indexOf('.', start);
            int end = dot < 0 ? n.length() : dot;
            if (end == start || end - start > 63) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** @return the domain of an address (after its last {@code @}), normalized; empty if there is none */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : normalize(address.substring(at + 1));
    }
}
