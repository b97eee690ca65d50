package org.mailslot.spool.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the durations operators write: {@code 30s}, {@code 5m}, {@code 4h}, {@code 5d} or ISO-8601 ({@code PT5M}). */
final class Durations {

    private Durations() {
    }

    static Duration parse(String name, String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                return positive(name, value, Duration.parse(value.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": \"" + value + "\" is not an ISO-8601 duration", e);
            }
        }
        char unit = Character.toLowerCase(value.charAt(value.length() - 1));
        String digits = value.substring(0, value.length() - 1).trim();
        if (!digits.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" is not a duration such as 30s, 5m, 4h, 5d or PT5M");
        }
        long amount = Long.parseLong(digits);
        Duration duration = switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(name + ": \"" + value + "\" has no unit s, m, h or d");
        };
        return positive(name, value, duration);
    }

    private static Duration positive(String name, String value, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" must be longer than zero");
        }
        return duration;
    }
}
