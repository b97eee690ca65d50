package org.mailslot.support.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A duration property, written the same way in every PID: a plain number is seconds ({@code 30});
 * a number with a unit is {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code 2d}; an
 * ISO-8601 duration ({@code PT5M}) is accepted too. Units are case-insensitive; white space around
 * the value and between number and unit is ignored.
 */
public final class DurationProperty {

    private static final String FORMS = "such as 30 (seconds), 500ms, 30s, 5m, 1h, 2d or PT5M";

    private DurationProperty() {
    }

    /**
     * @param property the property's name, as the error should show it (e.g. {@code listener x: command.timeout})
     * @param value the configured value; a Number (a typed Config Admin value) counts as seconds
     * @return the duration, longer than zero
     * @throws IllegalArgumentException naming the property and the value, if it is not a duration or not positive
     */
    public static Duration positive(String property, Object value) {
        Duration duration = parse(property, value);
        if (duration.isZero()) {
            throw new IllegalArgumentException(property + " must be longer than zero, not '" + value + "'");
        }
        return duration;
    }

    /** As {@link #positive}, but zero is allowed (where zero turns something off). */
    public static Duration zeroOrMore(String property, Object value) {
        return parse(property, value);
    }

    private static Duration parse(String property, Object value) {
        String text = value == null ? "" : String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        Duration duration = text.startsWith("p") ? iso(text) : withUnit(text);
        if (duration == null) {
            throw new IllegalArgumentException(property + " must be a duration " + FORMS + ", not '" + value + "'");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative, not '" + value + "'");
        }
        return duration;
    }

    private static Duration iso(String text) {
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration withUnit(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return null;
        }
        long amount = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits).strip()) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> null;
        };
    }
}
