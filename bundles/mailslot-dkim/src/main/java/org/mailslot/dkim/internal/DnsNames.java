package org.mailslot.dkim.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of the domains and selectors that become DNS names and file names. */
final class DnsNames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private DnsNames() {
    }

    /**
     * @param property the property or argument the value came from, for the message
     * @return the name in lower case
     * @throws IllegalArgumentException naming the property if the value is not a DNS name of ASCII labels
     */
    static String check(String property, String value) {
        String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException(property + " must be a DNS name, not '" + value + "'");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException(property + " must be a DNS name of letters, digits and hyphens"
                        + " (IDNs in their xn-- form), not '" + value + "'");
            }
        }
        return name;
    }
}
