package org.mailslot.smime.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Content-Type field value (RFC 2045): type, subtype and parameters, names in lower
 * case. Unparseable values give {@code text/plain}, as RFC 2045 section 5.2 demands.
 */
record ContentType(String type, String subtype, Map<String, String> parameters) {

    static final ContentType DEFAULT = new ContentType("text", "plain", Map.of("charset", "us-ascii"));

    static ContentType parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        String text = stripComments(value).strip();
        int semicolon = indexOutsideQuotes(text, ';', 0);
        String mediaType = (semicolon < 0 ? text : text.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            return DEFAULT;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (semicolon >= 0) {
            int next = indexOutsideQuotes(text, ';', semicolon + 1);
            String parameter = (next < 0 ? text.substring(semicolon + 1) : text.substring(semicolon + 1, next)).strip();
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                String name = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                parameters.putIfAbsent(name, unquote(parameter.substring(equals + 1).strip()));
            }
            semicolon = next;
        }
        return new ContentType(mediaType.substring(0, slash).strip(), mediaType.substring(slash + 1).strip(),
                Map.copyOf(parameters));
    }

    boolean is(String mediaType) {
        return (type + "/" + subtype).equals(mediaType);
    }

    String parameter(String name) {
        return parameters.get(name);
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                out.append(value.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOutsideQuotes(String text, char wanted, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String stripComments(String value) {
        if (value.indexOf('(') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                if (c == '"') {
                    quoted = !quoted;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
