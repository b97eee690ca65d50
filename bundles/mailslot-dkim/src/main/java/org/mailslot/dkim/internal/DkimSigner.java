package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
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

    private static final int LINE = 76;

    /**
     * Buffers per message, for the header section (read an octet at a time) and the body (whose reads,
     * larger than the header's buffer, pass it by). Small: most mail is a few KB, and a 64 KiB buffer
     * cleared for each message cost more than reading a large body in 16 KiB steps.
     */
    static final int HEADER_BUFFER = 8192;
    static final int BODY_BUFFER = 16384;

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
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, HEADER_BUFFER);
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
            out.append(unsigned).append(fold(Base64.getEncoder().encodeToString(signature), lastLineLength(unsigned)))
                    .append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static List<String> signedNames(HeaderSection headers) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            int count = headers.named(name).size();
            for (int i = 0; i < count + (OVERSIGNED.contains(name) ? 1 : 0); i++) {
                names.add(name);
            }
        }
        return names;
    }

    private String field(SigningKey key, List<String> names, String bodyHash, long now) {
        List<String> tags = new ArrayList<>();
        tags.add("v=1");
        tags.add("a=" + key.algorithm().tag());
        tags.add("c=" + headerCanonicalization.tag() + "/" + bodyCanonicalization.tag());
        tags.add("d=" + key.domain());
        tags.add("s=" + key.selector());
        tags.add("t=" + now);
        tags.add("h=" + String.join(":", names));
        tags.add("bh=" + bodyHash);
        StringBuilder field = new StringBuilder("DKIM-Signature:");
        int lineLength = field.length();
        for (String tag : tags) {
            if (tag.startsWith("h=")) {
                // h= may be long: fold it between names.
                String[] parts = tag.split(":");
                for (int i = 0; i < parts.length; i++) {
                    String part = (i == 0 ? "" : ":") + parts[i] + (i == parts.length - 1 ? ";" : "");
                    if (lineLength + part.length() + 1 > LINE) {
                        field.append("\r\n\t");
                        lineLength = 1;
                    } else if (i == 0) {
                        field.append(' ');
                        lineLength++;
                    }
                    field.append(part);
                    lineLength += part.length();
                }
                continue;
            }
            String piece = tag + ";";
            if (lineLength + piece.length() + 1 > LINE) {
                field.append("\r\n\t");
                lineLength = 1;
            } else {
                field.append(' ');
                lineLength++;
            }
            field.append(piece);
            lineLength += piece.length();
        }
        field.append("\r\n\tb=");
        return field.toString();
    }

    private static int lastLineLength(String field) {
        return field.length() - field.lastIndexOf('\n') - 1;
    }

    private static String fold(String base64, int used) {
        StringBuilder out = new StringBuilder(base64.length() + 16);
        int room = LINE - used;
        int at = 0;
        while (at < base64.length()) {
            int take = Math.min(Math.max(room, 1), base64.length() - at);
            if (at > 0) {
                out.append("\r\n\t ");
            }
            out.append(base64, at, at + take);
            at += take;
            room = LINE - 2;
        }
        return out.toString();
    }

    static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
