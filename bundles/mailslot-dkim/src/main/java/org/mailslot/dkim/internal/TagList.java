package org.mailslot.dkim.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A DKIM tag=value list (RFC 6376 section 3.2): names are case-sensitive, values stripped of surrounding FWS. */
final class TagList {

    private TagList() {
    }

    /**
     * @return the tags in order
     * @throws IllegalArgumentException naming the problem: a tag without "=", an invalid name, a duplicate
     */
    static Map<String, String> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        String unfolded = text.replace("\r\n", "").replace("\n", "");
        String[] specs = unfolded.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i].strip();
            if (spec.isEmpty()) {
                if (i == specs.length - 1) {
                    break;
                }
                throw new IllegalArgumentException("an empty tag");
            }
            int equals = spec.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("tag '" + spec + "' has no '='");
            }
            String name = spec.substring(0, equals).strip();
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("invalid tag name '" + name + "'");
            }
            if (tags.putIfAbsent(name, spec.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("tag " + name + "= appears twice");
            }
        }
        return tags;
    }

    /** @return the value with every whitespace character removed (base64 values may be folded anywhere) */
    static String compact(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
