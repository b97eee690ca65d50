package org.mailslot.transport.internal.delivery.policy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A domain's MTA-STS policy (RFC 8461 section 3.2), as fetched and cached.
 *
 * @param id the policy id of the domain's {@code _mta-sts} TXT record
 * @param mode what the policy asks of a sender
 * @param mx the MX patterns the policy names ({@code mx.example.com}, {@code *.example.net}), lower case
 * @param maxAge how long the policy may be cached
 */
public record MtaStsPolicy(String id, Mode mode, List<String> mx, Duration maxAge) {

    /** The policy's {@code mode}. */
    public enum Mode {
        /** A certificate that verifies and names an MX host the policy lists is required. */
        ENFORCE,
        /** Failures are reported (TLS reports) but mail goes as without a policy. */
        TESTING,
        /** The domain withdraws its policy. */
        NONE
    }

    public MtaStsPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        mx = mx.stream().map(pattern -> pattern.toLowerCase(Locale.ROOT)).toList();
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * @param host an MX host name, with or without the trailing dot
     * @return true if one of the policy's patterns names it (RFC 8461 section 4.1: a {@code *.} pattern
     *     stands for exactly one left-most label)
     */
    public boolean names(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            } else if (pattern.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
