package org.mailslot.support.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A list property: its elements are separated by commas, white space or both
 * ({@code a.example, b.example}, {@code a.example b.example}); an element that holds either is
 * written in double quotes ({@code INBOX, "Sent Items"}). A {@code .cfg} file gives the whole list
 * as one string, Config Admin's arrays give elements; each element is split alike, so both work.
 */
public final class ListProperty {

    private ListProperty() {
    }

    /**
     * @param values the property's values (a {@code String[]} from a DS configuration); null is empty
     * @return the elements in order, without empty ones; duplicates are kept
     * @throws IllegalArgumentException if a quoted element has no closing quote, naming the property
     */
    public static List<String> split(String property, String... values) {
        List<String> elements = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value != null) {
                    split(property, value, elements);
                }
            }
        }
        return List.copyOf(elements);
    }

    /** @param value a String, a String[] or a Collection, as a raw service or configuration property gives it */
    public static List<String> split(String property, Object value) {
        if (value instanceof String[] array) {
            return split(property, array);
        }
        if (value instanceof Collection<?> collection) {
            return split(property, collection.stream().map(String::valueOf).toArray(String[]::new));
        }
        return value == null ? List.of() : split(property, new String[] {String.valueOf(value)});
    }

    private static void split(String property, String value, List<String> into) {
        int i = 0;
        int length = value.length();
        while (i < length) {
            char c = value.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int close = value.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException(property + ": a quoted element has no closing quote in '" + value + "'");
                }
                if (close > i + 1) {
                    into.add(value.substring(i + 1, close));
                }
                i = close + 1;
            } else {
                int start = i;
                while (i < length && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    i++;
                }
                into.add(value.substring(start, i));
            }
        }
    }
}
