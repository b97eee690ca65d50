package org.mailslot.support.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Content-Type field value (RFC 2045 section 5.1): type and subtype in lower case, parameters by
 * lower-case name with their values as written (quotes and quoted-pairs removed). Comments and
 * folding white space may stand between any two tokens (RFC 822 lexical rules), so
 * {@code multipart/encrypted (x)} is {@code multipart/encrypted} and {@code boundary=abc (c)} is
 * {@code abc}. RFC 2231 continuations and charset-encoded values ({@code name*0*=utf-8''a%20b})
 * are joined and decoded. The first of two parameters with one name wins. A value whose media type
 * does not parse is {@link #DEFAULT}, as RFC 2045 section 5.2 demands; a malformed parameter is
 * skipped up to the next {@code ;}. Immutable.
 */
public record ContentType(String type, String subtype, Map<String, String> parameters) {

    /** What an entity without a (parseable) Content-Type is. */
    public static final ContentType DEFAULT = new ContentType("text", "plain", Map.of("charset", "us-ascii"));

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    public ContentType {
        parameters = Map.copyOf(parameters);
    }

    /** @param value the field value, folded or not; null when the field is absent */
    public static ContentType parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        return new Parser(value).contentType();
    }

    /** @return {@code type/subtype} */
    public String mediaType() {
        return type + "/" + subtype;
    }

    /** @param mediaType {@code type/subtype}, compared without regard to case */
    public boolean is(String mediaType) {
        int slash = mediaType.indexOf('/');
        return slash > 0 && is(mediaType.substring(0, slash), mediaType.substring(slash + 1));
    }

    public boolean is(String wantedType, String wantedSubtype) {
        return type.equalsIgnoreCase(wantedType) && subtype.equalsIgnoreCase(wantedSubtype);
    }

    /** @param name in lower case; @return the value, or null */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** @return true if the parameter is present and equal to {@code expected} without regard to case */
    public boolean parameterIs(String name, String expected) {
        String value = parameters.get(name);
        return value != null && value.equalsIgnoreCase(expected);
    }

    private static final class Parser {

        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        ContentType contentType() {
            skipCfws();
            String type = token();
            skipCfws();
            if (type.isEmpty() || !take('/')) {
                return DEFAULT;
            }
            skipCfws();
            String subtype = token();
            if (subtype.isEmpty()) {
                return DEFAULT;
            }
            skipCfws();
            if (!atEnd() && peek() != ';') {
                return DEFAULT;
            }
            Map<String, String> raw = new LinkedHashMap<>();
            while (!atEnd()) {
                position++;
                parameter(raw);
            }
            return new ContentType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), Rfc2231.join(raw));
        }

        /** Reads {@code attribute = value} up to the next {@code ;} (left unread), skipping it if malformed. */
        private void parameter(Map<String, String> into) {
            skipCfws();
            String name = token();
            skipCfws();
            if (name.isEmpty() || !take('=')) {
                skipToSemicolon();
                return;
            }
            skipCfws();
            String value = !atEnd() && peek() == '"' ? quotedString() : token();
            skipCfws();
            if (value == null || (!atEnd() && peek() != ';')) {
                skipToSemicolon();
                return;
            }
            into.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
        }

        private String token() {
            int start = position;
            while (!atEnd() && isTokenChar(peek())) {
                position++;
            }
            return text.substring(start, position);
        }

        /** @return the content without quotes and quoted-pairs, or null if it is not closed */
        private String quotedString() {
            StringBuilder out = new StringBuilder();
            position++;
            while (!atEnd()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && !atEnd()) {
                    out.append(text.charAt(position++));
                } else if (c != '\r' && c != '\n') {
                    out.append(c);
                }
            }
            return null;
        }

        private void skipCfws() {
            while (!atEnd()) {
                char c = peek();
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    position++;
                } else if (c == '(') {
                    skipComment();
                } else {
                    return;
                }
            }
        }

        /** Comments nest and may hold quoted-pairs; an unclosed one runs to the end. */
        private void skipComment() {
            int depth = 0;
            while (!atEnd()) {
                char c = text.charAt(position++);
                if (c == '\\') {
                    position = Math.min(position + 1, text.length());
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return;
                }
            }
        }

        private void skipToSemicolon() {
            while (!atEnd() && peek() != ';') {
                char c = peek();
                if (c == '"') {
                    quotedString();
                } else if (c == '(') {
                    skipComment();
                } else {
                    position++;
                }
            }
        }

        private boolean take(char wanted) {
            if (!atEnd() && peek() == wanted) {
                position++;
                return true;
            }
            return false;
        }

        private boolean atEnd() {
            return position >= text.length();
        }

        private char peek() {
            return text.charAt(position);
        }

        private static boolean isTokenChar(char c) {
            return c > ' ' && c < 0x7f && TSPECIALS.indexOf(c) < 0;
        }
    }

    /** RFC 2231: {@code name*=charset'language'%xx}, and {@code name*0}, {@code name*1*}, ... joined in order. */
    private static final class Rfc2231 {

        static Map<String, String> join(Map<String, String> raw) {
            boolean any = false;
            for (String name : raw.keySet()) {
                any |= name.indexOf('*') >= 0;
            }
            if (!any) {
                return raw;
            }
            Map<String, String> result = new LinkedHashMap<>();
            Map<String, TreeMap<Integer, String[]>> sections = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : raw.entrySet()) {
                String name = entry.getKey();
                int star = name.indexOf('*');
                if (star < 0) {
                    result.putIfAbsent(name, entry.getValue());
                    continue;
                }
                String base = name.substring(0, star);
                String rest = name.substring(star + 1);
                boolean encoded = rest.endsWith("*") || rest.isEmpty();
                String number = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
                int index;
                try {
                    index = number.isEmpty() ? 0 : Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    continue;
                }
                sections.computeIfAbsent(base, b -> new TreeMap<>())
                        .putIfAbsent(index, new String[] {encoded ? "*" : "", entry.getValue()});
            }
            for (Map.Entry<String, TreeMap<Integer, String[]>> entry : sections.entrySet()) {
                String value = decode(entry.getValue());
                if (value != null) {
                    // An RFC 2231 value is the newer form of the same parameter: it wins.
                    result.put(entry.getKey(), value);
                }
            }
            return result;
        }

        /** @return the joined value, or null if the sections are not numbered 0, 1, ... or do not decode */
        private static String decode(TreeMap<Integer, String[]> sections) {
            Charset charset = StandardCharsets.US_ASCII;
            StringBuilder out = new StringBuilder();
            int expected = 0;
            for (Map.Entry<Integer, String[]> section : sections.entrySet()) {
                if (section.getKey() != expected++) {
                    return null;
                }
                String value = section.getValue()[1];
                if (section.getValue()[0].isEmpty()) {
                    out.append(value);
                    continue;
                }
                if (section.getKey() == 0) {
                    int first = value.indexOf('\'');
                    int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
                    if (second < 0) {
                        return null;
                    }
                    try {
                        String name = value.substring(0, first);
                        charset = name.isEmpty() ? StandardCharsets.US_ASCII : Charset.forName(name);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                    value = value.substring(second + 1);
                }
                String decoded = percentDecoded(value, charset);
                if (decoded == null) {
                    return null;
                }
                out.append(decoded);
            }
            return out.toString();
        }

        private static String percentDecoded(String value, Charset charset) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '%') {
                    if (i + 2 >= value.length()) {
                        return null;
                    }
                    int high = Character.digit(value.charAt(i + 1), 16);
                    int low = Character.digit(value.charAt(i + 2), 16);
                    if (high < 0 || low < 0) {
                        return null;
                    }
                    bytes.write(high << 4 | low);
                    i += 2;
                } else {
                    bytes.write(c);
                }
            }
            return bytes.toString(charset);
        }
    }
}
