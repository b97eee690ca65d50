package org.mailslot.dkim.internal;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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

    /** The JDK's own SHA-256 (provider SUN), cloned for each use: getInstance searches the providers every time. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256", "SUN");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private HeaderHash() {
    }

    /** @return a new SHA-256 digest */
    static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
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
        return newSha256().digest(data);
    }
}
