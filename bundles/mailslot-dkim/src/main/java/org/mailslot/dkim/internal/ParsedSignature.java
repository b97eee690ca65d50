package org.mailslot.dkim.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.dkim.DkimAlgorithm;

/**
 * A DKIM-Signature field whose tags are all present and well formed (RFC 6376 section 6.1.1).
 * {@link #parse} throws {@link Malformed} with the reason otherwise.
 */
record ParsedSignature(HeaderField field, DkimAlgorithm algorithm, Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization, String domain, String selector, List<String> signedNames,
        byte[] bodyHash, byte[] signature, long bodyLimit, Optional<Long> timestamp, Optional<Long> expiry,
        String identityDomain) {

    /** A signature that cannot be evaluated, with the tags read so far for the report. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final String domain;
        final String selector;
        final String algorithmTag;
        final String headerB;

        Malformed(String reason, Map<String, String> tags) {
            super(reason, null, false, false);
            this.domain = tags.getOrDefault("d", "").toLowerCase(Locale.ROOT);
            this.selector = tags.getOrDefault("s", "");
            this.algorithmTag = tags.getOrDefault("a", "");
            this.headerB = headerB(tags.getOrDefault("b", ""));
        }
    }

    static String headerB(String b) {
        String compact = TagList.compact(b);
        return compact.substring(0, Math.min(8, compact.length()));
    }

    static ParsedSignature parse(HeaderField field) throws Malformed {
        Map<String, String> tags;
        try {
            tags = TagList.parse(field.value());
        } catch (IllegalArgumentException e) {
            throw new Malformed("signature does not parse: " + e.getMessage(), Map.of());
        }
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.containsKey(required)) {
                throw new Malformed("signature has no " + required + "= tag", tags);
            }
        }
        if (!tags.get("v").equals("1")) {
            throw new Malformed("signature version v=" + tags.get("v") + " is not 1", tags);
        }
        DkimAlgorithm algorithm = DkimAlgorithm.ofTag(tags.get("a"))
                .orElseThrow(() -> new Malformed("unknown algorithm a=" + tags.get("a"), tags));
        String[] c = tags.getOrDefault("c", "simple/simple").split("/", -1);
        if (c.length > 2) {
            throw new Malformed("c=" + tags.get("c") + " is not header/body", tags);
        }
        Canonicalization header = Canonicalization.ofTag(c[0].strip())
                .orElseThrow(() -> new Malformed("unknown canonicalization c=" + tags.get("c"), tags));
        Canonicalization body = c.length == 1 ? Canonicalization.SIMPLE : Canonicalization.ofTag(c[1].strip())
                .orElseThrow(() -> new Malformed("unknown canonicalization c=" + tags.get("c"), tags));
        String domain = tags.get("d").toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) {
            throw new Malformed("signature has an empty d=", tags);
        }
        List<String> names = Arrays.stream(TagList.compact(tags.get("h")).split(":"))
                .map(name -> name.toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty()).toList();
        if (!names.contains("from")) {
            throw new Malformed("the From field is not signed (h= lacks from)", tags);
        }
        String identityDomain = domain;
        if (tags.containsKey("i")) {
            String identity = tags.get("i");
            int at = identity.lastIndexOf('@');
            identityDomain = (at < 0 ? "" : identity.substring(at + 1)).toLowerCase(Locale.ROOT);
            if (!identityDomain.equals(domain) && !identityDomain.endsWith("." + domain)) {
                throw new Malformed("i=" + identity + " is not in the domain d=" + domain, tags);
            }
        }
        if (tags.containsKey("q") && Arrays.stream(tags.get("q").split(":")).map(String::strip)
                .noneMatch(q -> q.equalsIgnoreCase("dns/txt"))) {
            throw new Malformed("query method q=" + tags.get("q") + " is not dns/txt", tags);
        }
        byte[] bodyHash = base64(tags, "bh");
        byte[] signature = base64(tags, "b");
        long limit = Long.MAX_VALUE;
        if (tags.containsKey("l")) {
            limit = number(tags, "l");
        }
        Optional<Long> timestamp = tags.containsKey("t") ? Optional.of(number(tags, "t")) : Optional.empty();
        Optional<Long> expiry = tags.containsKey("x") ? Optional.of(number(tags, "x")) : Optional.empty();
        if (timestamp.isPresent() && expiry.isPresent() && expiry.get() < timestamp.get()) {
            throw new Malformed("x= is before t=", tags);
        }
        return new ParsedSignature(field, algorithm, header, body, domain, tags.get("s"), names, bodyHash, signature,
                limit, timestamp, expiry, identityDomain);
    }

    private static byte[] base64(Map<String, String> tags, String name) throws Malformed {
        try {
            byte[] decoded = Base64.getDecoder().decode(TagList.compact(tags.get(name)));
            if (decoded.length == 0) {
                throw new Malformed(name + "= is empty", tags);
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new Malformed(name + "= is not base64", tags);
        }
    }

    private static long number(Map<String, String> tags, String name) throws Malformed {
        String value = tags.get(name);
        if (!value.matches("[0-9]{1,12}")) {
            throw new Malformed(name + "=" + value + " is not a number", tags);
        }
        return Long.parseLong(value);
    }

    /** @return the field with the value of b= removed (section 3.7), as the signer hashed it */
    byte[] fieldWithoutSignature() {
        return withoutSignature(field);
    }

    /** @return a signature field (DKIM-Signature, ARC-Message-Signature, ARC-Seal) with the value of b= removed */
    static byte[] withoutSignature(HeaderField field) {
        String text = new String(field.raw(), StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        int at = colon + 1;
        while (at < text.length()) {
            int end = text.indexOf(';', at);
            if (end < 0) {
                end = text.length();
            }
            String spec = text.substring(at, end);
            int equals = spec.indexOf('=');
            if (equals >= 0 && TagList.compact(spec.substring(0, equals)).equals("b")) {
                String stripped = text.substring(0, at + equals + 1) + text.substring(end);
                return stripped.getBytes(StandardCharsets.ISO_8859_1);
            }
            at = end + 1;
        }
        return field.raw();
    }

    String headerB() {
        return headerB(Base64.getEncoder().encodeToString(signature));
    }
}
