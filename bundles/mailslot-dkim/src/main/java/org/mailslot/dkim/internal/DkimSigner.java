package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes DKIM-Signature fields for a message: one per key (dual signing is two keys), all over the
 * same body hash computed in one pass. h= names every present field of {@link #SIGNED_FIELDS}, as
 * often as it occurs, plus one more From, To, Subject and Date so that none can be added later
 * (oversigning). l= is never used. Thread-safe.
 */
final class DkimSigner {

    /** The fields signed when present, in this order. */
    static final List<String> SIGNED_FIELDS = List.of("from", "reply-to", "subject", "date", "to", "cc",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "content-disposition", "content-language", "list-id", "list-unsubscribe", "list-unsubscribe-post",
            "sender", "resent-from", "resent-to", "resent-date", "autocrypt");

    /** Signed once more than present, so that another instance added on the way breaks the signature. */
    static final Set<String> OVERSIGNED = Set.of("from", "to", "subject", "date");

    /**
     * Buffers per message, for the header section (read in blocks, then the stream goes back to the body)
     * and the body (whose reads, larger than the header's buffer, pass it by). Small: most mail is a few
     * KB, and a 64 KiB buffer cleared for each message cost more than reading a large body in 8 KiB steps
     * (16 KiB ones still showed in profiles of 1 KB messages).
     */
    static final int HEADER_BUFFER = 8192;
    static final int BODY_BUFFER = 8192;

    private final Canonicalization headerCanonicalization;
    private final Canonicalization bodyCanonicalization;
    private final Clock clock;

    DkimSigner(Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization, Clock clock) {
        this.headerCanonicalization = headerCanonicalization;
        this.bodyCanonicalization = bodyCanonicalization;
        this.clock = clock;
    }

    /**
     * @param message the message, read once
     * @param keys the keys to sign with, all for the same domain
     * @return the DKIM-Signature fields, each with its final CRLF, to put before the message
     */
    byte[] sign(InputStream message, List<SigningKey> keys) throws IOException, GeneralSecurityException {
        InputStream in = message.markSupported() ? message : new BufferedInputStream(message, HEADER_BUFFER);
        return sign(HeaderSection.read(in), in, keys);
    }

    /**
     * @param headers the message's header section, already read
     * @param body the rest of the stream: the body
     */
    byte[] sign(HeaderSection headers, InputStream body, List<SigningKey> keys) throws IOException,
            GeneralSecurityException {
        InputStream in = body;
        BodyHasher hasher = new BodyHasher(bodyCanonicalization);
        byte[] buffer = new byte[BODY_BUFFER];
        for (int n; (n = in.read(buffer)) > 0;) {
            hasher.update(buffer, 0, n);
        }
        String bodyHash = Base64.getEncoder().encodeToString(hasher.finish());
        List<String> names = signedNames(headers);
        long now = clock.instant().getEpochSecond();
        StringBuilder out = new StringBuilder();
        for (SigningKey key : keys) {
            String unsigned = field(key, names, bodyHash, now);
            byte[] data = HeaderHash.data(headers.fields(), names, headerCanonicalization,
                    unsigned.getBytes(StandardCharsets.US_ASCII), null);
            byte[] signature = SignatureAlgorithms.sign(key, data);
            out.append(SignatureField.signed(unsigned, signature)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static List<String> signedNames(HeaderSection headers) {
        Map<String, Integer> present = new HashMap<>();
        for (HeaderField field : headers.fields()) {
            present.merge(field.lowerName(), 1, Integer::sum);
        }
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            int count = present.getOrDefault(name, 0);
            for (int i = 0; i < count + (OVERSIGNED.contains(name) ? 1 : 0); i++) {
                names.add(name);
            }
        }
        return names;
    }

    private String field(SigningKey key, List<String> names, String bodyHash, long now) {
        return SignatureField.unsigned("DKIM-Signature", List.of("v=1", "a=" + key.algorithm().tag(),
                "c=" + headerCanonicalization.tag() + "/" + bodyCanonicalization.tag(), "d=" + key.domain(),
                "s=" + key.selector(), "t=" + now, "h=" + String.join(":", names), "bh=" + bodyHash));
    }

    static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
