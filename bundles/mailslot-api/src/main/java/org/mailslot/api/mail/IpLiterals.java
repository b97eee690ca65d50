package org.mailslot.api.mail;

import org.osgi.annotation.versioning.ProviderType;

/** Syntax of the IPv4 and IPv6 address literals of RFC 5321 section 4.1.3; no DNS involved. */
@ProviderType
final class IpLiterals {

    private IpLiterals() {
    }

    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String text) {
        int groupsAllowed = 8;
        String hex = text;
        int lastColon = text.lastIndexOf(':');
        if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            groupsAllowed = 6;
            hex = text.substring(0, lastColon + 1) + "0";
            groupsAllowed++;
        }
        int compressed = hex.indexOf("::");
        if (compressed != hex.lastIndexOf("::")) {
            return false;
        }
        if (compressed < 0) {
            return countGroups(hex) == groupsAllowed;
        }
        String head = hex.substring(0, compressed);
        String tail = hex.substring(compressed + 2);
        int groups = (head.isEmpty() ? 0 : countGroups(head)) + (tail.isEmpty() ? 0 : countGroups(tail));
        return groups >= 0 && (head.isEmpty() || countGroups(head) > 0) && (tail.isEmpty() || countGroups(tail) > 0)
                && groups < groupsAllowed;
    }

    /** @return the number of hex groups separated by single colons, or -1 if malformed */
    private static int countGroups(String text) {
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4
                    || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return -1;
            }
        }
        return groups.length;
    }
}
