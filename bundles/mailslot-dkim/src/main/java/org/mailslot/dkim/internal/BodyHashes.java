package org.mailslot.dkim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body hashes a message's signatures ask for, one per distinct canonicalization and {@code l=},
 * all computed in one pass over the body. Asked for first ({@link #want}), then {@link #read}, then
 * looked up ({@link #of}). Not thread-safe; one per message.
 */
final class BodyHashes {

    /** A body hash as a signature asks for it. */
    record Key(Canonicalization canonicalization, long limit) {
    }

    private final Map<Key, BodyHasher> hashers = new LinkedHashMap<>();
    private final Map<Key, byte[]> hashes = new HashMap<>();

    Key want(Canonicalization canonicalization, long limit) {
        Key key = new Key(canonicalization, limit);
        hashers.computeIfAbsent(key, k -> new BodyHasher(canonicalization, limit));
        return key;
    }

    /** Reads the body (the rest of the stream) if any hash was asked for. */
    void read(InputStream body) throws IOException {
        if (hashers.isEmpty()) {
            return;
        }
        byte[] buffer = new byte[DkimSigner.BODY_BUFFER];
        for (int n; (n = body.read(buffer)) > 0;) {
            for (BodyHasher hasher : hashers.values()) {
                hasher.update(buffer, 0, n);
            }
        }
        hashers.forEach((key, hasher) -> hashes.put(key, hasher.finish()));
        hashers.clear();
    }

    /** @return the hash asked for with {@code key}, once the body was read */
    byte[] of(Key key) {
        byte[] hash = hashes.get(key);
        if (hash == null) {
            throw new IllegalStateException("body hash " + key + " was not asked for before the body was read");
        }
        return hash;
    }
}
