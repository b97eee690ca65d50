package org.mailslot.openpgp.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A parsed Content-Type value (RFC 2045): lower-case type and subtype, parameters by lower-case name. */
record ContentType(String type, String subtype, Map<String, String> parameters) {

    static final ContentType DEFAULT = new ContentType("text", "plain", Map.of("charset", "us-ascii"));

    /** @return the parsed value, or {@link #DEFAULT} for null or an unparseable value (RFC 2045 §5.2) */
    static ContentType parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        String text = stripComments(value).strip();
        int semicolon = text.indexOf(';');
        String mediaType = (semicolon < 0 ? text : text.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            return DEFAULT;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = semicolon < 0 ? text.length() : semicolon + 1;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            int j = equals + 1;
            while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
                j++;
            }
            StringBuilder parameterValue = new StringBuilder();
            if (j < text.length() && text.charAt(j) == '"') {
                j++;
                while (j < text.length() && text.charAt(j) != '"') {
                    if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                        j++;
                    }
                    parameterValue.append(text.charAt(j++));
                }
                int next = text.indexOf(';', j);
                i = next < 0 ? text.length() : next + 1;
            } else {
                int next = text.indexOf(';', j);
                parameterValue.append(text, j, next < 0 ? text.length() : next);
                i = next < 0 ? text.length() : next + 1;
            }
            parameters.putIfAbsent(name, parameterValue.toString().strip());
        }
        return new ContentType(mediaType.substring(0, slash).strip(), mediaType.substring(slash + 1).strip(),
                Map.copyOf(parameters));
    }

    boolean is(String wantedType, String wantedSubtype) {
        return type.equals(wantedType) && subtype.equals(wantedSubtype);
    }

    /** @return the parameter, compared case-insensitively when asked with {@link #parameterIs} */
    String parameter(String name) {
        return parameters.get(name);
    }

    boolean parameterIs(String name, String expected) {
        String value = parameters.get(name);
        return value != null && value.strip().equalsIgnoreCase(expected);
    }

    private static String stripComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                out.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    out.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"' && depth == 0) {
                quoted = true;
                out.append(c);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
