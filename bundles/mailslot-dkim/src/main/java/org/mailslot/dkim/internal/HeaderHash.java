package org.mailslot.dkim.internal;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data a DKIM signature signs (RFC 6376 section 3.7): the fields named by h=, each taken from the
 * bottom up, a name without a remaining field contributing nothing (which is what makes
 * oversigning work), then the signature's own field with an empty b= and no final CRLF.
 */
final class HeaderHash {

    private HeaderHash() {
    }

    static byte[] data(List<HeaderField> fields, List<String> signedNames, Canonicalization canonicalization,
            byte[] signatureFieldWithoutB, HeaderField exclude) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        Map<String, Integer> used = new HashMap<>();
        Map<HeaderField, Boolean> excluded = new IdentityHashMap<>();
        if (exclude != null) {
            excluded.put(exclude, true);
        }
        for (String name : signedNames) {
            String key = name.toLowerCase(java.util.Locale.ROOT);
            int skip = used.getOrDefault(key, 0);
            int seen = 0;
            for (int i = fields.size() - 1; i >= 0; i--) {
                HeaderField field = fields.get(i);
                if (field.named(key) && !excluded.containsKey(field)) {
                    if (seen++ == skip) {
                        out.writeBytes(canonicalization.header(field.raw()));
                        break;
                    }
                }
            }
            used.put(key, skip + 1);
        }
        out.writeBytes(canonicalization.headerWithoutCrlf(signatureFieldWithoutB));
        return out.toByteArray();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
