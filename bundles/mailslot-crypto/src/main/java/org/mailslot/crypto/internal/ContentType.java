package org.mailslot.crypto.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed Content-Type field value: {@code type/subtype; name=value; name="quoted"}. Immutable. */
record ContentType(String mediaType, Map<String, String> parameters) {

    ContentType {
        parameters = Map.copyOf(parameters);
    }

    /** @param value the unfolded field value; the default {@code text/plain} when absent or empty */
    static ContentType parse(Optional<String> value) {
        String text = value.map(String::strip).orElse("");
        if (text.isEmpty()) {
            return new ContentType("text/plain", Map.of());
        }
        Map<String, String> parameters = new HashMap<>();
        int semicolon = indexOutsideQuotes(text, ';', 0);
        String mediaType = (semicolon < 0 ? text : text.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        while (semicolon >= 0) {
            int next = indexOutsideQuotes(text, ';', semicolon + 1);
            String parameter = (next < 0 ? text.substring(semicolon + 1) : text.substring(semicolon + 1, next)).strip();
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                String name = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                String parameterValue = parameter.substring(equals + 1).strip();
                if (parameterValue.length() >= 2 && parameterValue.startsWith("\"") && parameterValue.endsWith("\"")) {
                    parameterValue = parameterValue.substring(1, parameterValue.length() - 1).replace("\\\"", "\"");
                }
                parameters.putIfAbsent(name, parameterValue);
            }
            semicolon = next;
        }
        return new ContentType(mediaType, parameters);
    }

    private static int indexOutsideQuotes(String text, char wanted, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** @return the parameter's value in lower case, or empty */
    String parameter(String name) {
        return parameters.getOrDefault(name, "").toLowerCase(Locale.ROOT);
    }
}
