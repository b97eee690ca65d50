package org.mailslot.retrieval.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as configuration writes them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
final class Durations {

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the property and the value */
    static Duration parse(String property, String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return positive(property, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            }
            if (text.length() >= 2) {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                Duration d = switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> null;
                };
                if (d != null) {
                    return positive(property, value, d);
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a duration such as 30s, 5m, 1h or PT5M, not '" + value + "'");
    }

    private static Duration positive(String property, String value, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(property + " must be longer than zero, not '" + value + "'");
        }
        return d;
    }
}
