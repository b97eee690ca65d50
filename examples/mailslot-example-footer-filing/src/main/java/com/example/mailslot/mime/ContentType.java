package com.example.mailslot.mime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Content-Type value (RFC 2045 section 5.1): type, subtype and parameters. Type, subtype and
 * parameter names are kept in lower case; parameter values as given, unquoted. Immutable.
 */
public final class ContentType {

    /** What an entity without Content-Type is (RFC 2045 section 5.2). */
    public static final ContentType DEFAULT = new ContentType("text", "plain", Map.of("charset", "us-ascii"));

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    private final String type;
    private final String subtype;
    private final Map<String, String> parameters;

    private ContentType(String type, String subtype, Map<String, String> parameters) {
        this.type = type;
        this.subtype = subtype;
        this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * @param value a Content-Type field value
     * @return the parsed type; a value without {@code type/subtype} is read as {@code application/octet-stream},
     *     which nothing here touches
     */
    public static ContentType parse(String value) {
        String stripped = withoutComments(value);
        int semicolon = indexOutsideQuotes(stripped, ';', 0);
        String media = (semicolon < 0 ? stripped : stripped.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        if (slash <= 0 || slash == media.length() - 1) {
            return new ContentType("application", "octet-stream", Map.of());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int start = semicolon;
        while (start >= 0) {
            int next = indexOutsideQuotes(stripped, ';', start + 1);
            String parameter = (next < 0 ? stripped.substring(start + 1) : stripped.substring(start + 1, next)).strip();
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                String name = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                parameters.putIfAbsent(name, unquote(parameter.substring(equals + 1).strip()));
            }
            start = next;
        }
        return new ContentType(media.substring(0, slash).strip(), media.substring(slash + 1).strip(), parameters);
    }

    /** @return true if this is {@code type/subtype} */
    public boolean is(String type, String subtype) {
        return this.type.equals(type) && this.subtype.equals(subtype);
    }

    public String type() {
        return type;
    }

    public String subtype() {
        return subtype;
    }

    /** @param name a parameter name, any case */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return this type with one parameter set, the others kept in order */
    public ContentType withParameter(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(parameters);
        changed.put(name.toLowerCase(Locale.ROOT), value);
        return new ContentType(type, subtype, changed);
    }

    /** @return the value as a header field would carry it */
    public String format() {
        StringBuilder out = new StringBuilder(type).append('/').append(subtype);
        parameters.forEach((name, value) -> out.append("; ").append(name).append('=').append(quoteIfNeeded(value)));
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String quoteIfNeeded(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > 32 && c < 127 && TSPECIALS.indexOf(c) < 0);
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"")) {
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
        return value;
    }

    private static int indexOutsideQuotes(String value, char wanted, int from) {
        boolean quoted = false;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
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

    /** RFC 822 comments: {@code text/plain (a note); charset=utf-8}. */
    private static String withoutComments(String value) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                if (depth == 0) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
