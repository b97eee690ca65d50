package org.mailslot.transport.internal.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy.Mode;

/**
 * An MTA-STS policy file as the policy domain serves it (RFC 8461 section 3.2): its mode, the MX
 * host patterns mail may go to, and how long it may be cached. Immutable; with the id of the TXT
 * record it was fetched for, it is the {@link MtaStsPolicy} delivery applies.
 *
 * @param mode what a sender does with it
 * @param mx the MX patterns, lower case without a trailing dot: a name, or {@code *.} and a name
 *     for any single label in its place; empty only with {@link Mode#NONE}
 * @param maxAge how long the policy may be cached, at most {@link #MAX_AGE_LIMIT}
 */
public record StsPolicy(Mode mode, List<String> mx, Duration maxAge) {

    /** The longest max_age RFC 8461 allows: a year of 31557600 seconds. */
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    public StsPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxAge, "maxAge");
        mx = List.copyOf(mx);
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException("a policy in mode " + keyword(mode) + " needs at least one mx");
        }
        if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("max_age must be 0 to " + MAX_AGE_LIMIT.toSeconds() + " seconds, not "
                    + maxAge.toSeconds());
        }
    }

    /**
     * Parses a policy file: {@code key: value} lines ended by CRLF or LF; {@code version: STSv1},
     * {@code mode} and {@code max_age} required, {@code mx} repeated; other keys ignored, as RFC 8461
     * asks, and of a repeated key other than {@code mx} the first one counts.
     *
     * @param text the body of {@code /.well-known/mta-sts.txt}
     * @return the policy
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static StsPolicy parse(String text) {
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\r?\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + number + " is not 'key: value'");
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> mx.add(pattern(value));
                default -> {
                    // An extension field: ignored (RFC 8461 section 3.2).
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException(version == null ? "no version field" : "version " + version + " is not STSv1");
        }
        return new StsPolicy(mode(mode), mx, maxAge(maxAge));
    }

    /** @return the word the policy file uses for the mode */
    public static String keyword(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static Mode mode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no mode field");
        }
        for (Mode mode : Mode.values()) {
            if (keyword(mode).equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode " + value + " is none of enforce, testing, none");
    }

    private static Duration maxAge(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no max_age field");
        }
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("max_age " + value + " is not 1 to 10 digits");
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    private static String pattern(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String labels = name.startsWith("*.") ? name.substring(2) : name;
        if (labels.isEmpty() || !labels.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException("mx " + value + " is not a host name or *. and a host name");
        }
        return name;
    }

    /** @return the policy as delivery applies it */
    public MtaStsPolicy withId(String id) {
        return new MtaStsPolicy(id, mode, mx, maxAge);
    }

    /** @return the policy in the form it is served, for the cache on disk */
    public String text() {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: ").append(keyword(mode)).append("\r\n");
        mx.forEach(pattern -> text.append("mx: ").append(pattern).append("\r\n"));
        return text.append("max_age: ").append(maxAge.toSeconds()).append("\r\n").toString();
    }
}
