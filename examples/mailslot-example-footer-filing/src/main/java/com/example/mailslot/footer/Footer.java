package com.example.mailslot.footer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import com.example.mailslot.mime.ContentType;
import com.example.mailslot.mime.MimeEntity;
import com.example.mailslot.mime.Multipart;
import com.example.mailslot.mime.TransferEncoding;

/**
 * Adds a footer to the plain-text body of a message, as a user reading it would expect: at the end
 * of the text, in the text's own charset and transfer encoding.
 *
 * <p>Where the footer goes: a {@code text/plain} message; the first part of a
 * {@code multipart/mixed} (the text before the attachments) if it is plain text or a
 * {@code multipart/alternative}; the {@code text/plain} parts of a {@code multipart/alternative}.
 * The HTML alternative and attachments are left alone.
 *
 * <p>What is never touched, because a footer would break it or could not be added faithfully:
 * signed or encrypted messages (multipart/signed, multipart/encrypted, S/MIME application/pkcs7-mime,
 * inline PGP, a DKIM-Signature), a message that already has the footer (header
 * {@value #MARKER}), text in a charset Java does not know or that does not decode cleanly, and
 * transfer encodings other than 7bit, 8bit, binary, quoted-printable and base64.
 *
 * <p>Thread-safe and immutable.
 */
public final class Footer {

    /** Header field added to a message that got the footer, so that it never gets it twice. */
    public static final String MARKER = "X-Example-Footer";

    private static final int MAX_DEPTH = 4;
    private static final byte[] INLINE_PGP = "-----BEGIN PGP ".getBytes(StandardCharsets.US_ASCII);

    private final String text;

    /** @param text the footer; its line breaks (CR, LF or CRLF) become the body's own */
    public Footer(String text) {
        Objects.requireNonNull(text, "text");
        this.text = text.strip().replace("\r\n", "\n").replace('\r', '\n');
    }

    /**
     * @param message a whole message, RFC 5322 with CRLF line endings
     * @return the message with the footer, or empty to pass it on unchanged
     */
    public Optional<byte[]> addTo(byte[] message) {
        MimeEntity root = MimeEntity.parse(message);
        if (root.has(MARKER) || root.has("DKIM-Signature") || MimeEntity.indexOf(message, INLINE_PGP, 0) >= 0) {
            return Optional.empty();
        }
        return withFooter(root, 0).map(changed -> {
            MimeEntity marked = changed.withFieldFirst(MARKER, "added");
            if (!marked.has("MIME-Version") && (marked.has("Content-Type") || marked.has("Content-Transfer-Encoding"))) {
                marked = marked.withField("MIME-Version", "1.0");
            }
            return marked.toBytes();
        });
    }

    private Optional<MimeEntity> withFooter(MimeEntity entity, int depth) {
        ContentType type = entity.contentType();
        if (entity.isAttachment()) {
            return Optional.empty();
        }
        if (type.is("text", "plain")) {
            return plainTextWithFooter(entity, type);
        }
        if (!type.type().equals("multipart") || depth >= MAX_DEPTH) {
            return Optional.empty();
        }
        Optional<String> boundary = type.parameter("boundary");
        Optional<Multipart> multipart = boundary.flatMap(b -> Multipart.split(entity.body(), b));
        if (multipart.isEmpty()) {
            return Optional.empty();
        }
        return switch (type.subtype()) {
            case "mixed" -> firstPartWithFooter(entity, multipart.get(), depth);
            case "alternative" -> plainAlternativesWithFooter(entity, multipart.get());
            default -> Optional.empty(); // signed, encrypted, related, report, digest, ...
        };
    }

    private Optional<MimeEntity> firstPartWithFooter(MimeEntity entity, Multipart multipart, int depth) {
        Multipart.Part first = multipart.parts().get(0);
        return withFooter(multipart.entity(first), depth + 1)
                .map(part -> entity.withBody(multipart.replace(first, part.toBytes())));
    }

    private Optional<MimeEntity> plainAlternativesWithFooter(MimeEntity entity, Multipart multipart) {
        byte[] body = null;
        // Replace from the last part backwards so that the earlier parts' offsets stay valid.
        for (int i = multipart.parts().size() - 1; i >= 0; i--) {
            Multipart.Part part = multipart.parts().get(i);
            MimeEntity alternative = multipart.entity(part);
            if (!alternative.contentType().is("text", "plain")) {
                continue;
            }
            Optional<MimeEntity> changed = plainTextWithFooter(alternative, alternative.contentType());
            if (changed.isEmpty()) {
                return Optional.empty(); // all plain alternatives get it, or none
            }
            body = Multipart.splice(body == null ? entity.body() : body, part, changed.get().toBytes());
        }
        return body == null ? Optional.empty() : Optional.of(entity.withBody(body));
    }

    private Optional<MimeEntity> plainTextWithFooter(MimeEntity entity, ContentType type) {
        Optional<TransferEncoding> encoding = TransferEncoding.of(entity.transferEncoding());
        Optional<Charset> charset = charset(type.parameter("charset").orElse("us-ascii"));
        if (encoding.isEmpty() || charset.isEmpty()) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = encoding.get().decode(entity.body());
        } catch (IllegalArgumentException badBase64) {
            return Optional.empty();
        }
        Optional<String> decoded = decodeStrictly(content, charset.get());
        if (decoded.isEmpty() || decoded.get().contains("-----BEGIN PGP ")) {
            return Optional.empty();
        }
        String withFooter = append(decoded.get());
        Charset target = charset.get().newEncoder().canEncode(withFooter) ? charset.get() : StandardCharsets.UTF_8;
        byte[] newContent = withFooter.getBytes(target);
        TransferEncoding targetEncoding = encoding.get().toCarry(newContent);

        MimeEntity result = entity.withBody(targetEncoding.encode(newContent));
        if (!target.equals(charset.get())) {
            result = result.withField("Content-Type", type.withParameter("charset", "UTF-8").format());
        }
        if (targetEncoding != encoding.get()) {
            result = result.withField("Content-Transfer-Encoding", targetEncoding.label());
        }
        return Optional.of(result);
    }

    /** The body's text, an empty line, the footer; lines end as the body's lines end. */
    private String append(String body) {
        String newline = body.contains("\r\n") || !body.contains("\n") ? "\r\n" : "\n";
        // A body part's last line break belongs to the delimiter after it; keep it that way.
        boolean endsWithNewline = body.isEmpty() || body.endsWith(newline);
        StringBuilder out = new StringBuilder(body);
        if (!body.isEmpty()) {
            out.append(endsWithNewline ? newline : newline + newline);
        }
        // Trailing blanks would join lines under format=flowed (RFC 3676).
        out.append(String.join(newline, text.lines().map(String::stripTrailing).toList()));
        if (endsWithNewline) {
            out.append(newline);
        }
        return out.toString();
    }

    private static Optional<Charset> charset(String name) {
        try {
            return Optional.of(Charset.forName(name.strip()));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private static Optional<String> decodeStrictly(byte[] content, Charset charset) {
        try {
            CharBuffer chars = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
