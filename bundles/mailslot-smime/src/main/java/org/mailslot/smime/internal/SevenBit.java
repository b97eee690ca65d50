package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.util.Set;

import org.mailslot.support.mail.MimeEntity;
import org.mailslot.support.mail.OctetWords;

/**
 * The entity to sign, in a form no transport will alter (RFC 8551 section 3.1.3): a single-part
 * body with 8-bit octets or lines over 998 octets is re-encoded as base64. Multipart bodies are
 * signed as they are.
 */
final class SevenBit {

    private static final Set<String> IDENTITY_ENCODINGS = Set.of("7bit", "8bit", "binary");
    private static final int MAX_LINE = 998;
    private static final long NULS = OctetWords.repeated(0);
    private static final long LFS = OctetWords.repeated('\n');

    private SevenBit() {
    }

    static Content entity(MimeEntity entity) {
        MimeEntity.Range body = entity.body();
        boolean multipart = entity.contentType().type().equals("multipart");
        boolean reencode = !multipart && IDENTITY_ENCODINGS.contains(entity.transferEncoding())
                && !isSevenBitSafe(entity.octets(), body.from(), body.to());
        ByteArrayOutputStream fields = new ByteArrayOutputStream(512);
        if (!entity.hasContentType()) {
            SmimeFormat.ascii(fields, "Content-Type: text/plain; charset=utf-8\r\n");
        }
        for (MimeEntity.Field field : entity.fields()) {
            if (field.describesContent() && !field.named("MIME-Version")
                    && !(reencode && field.named("Content-Transfer-Encoding"))) {
                fields.writeBytes(field.raw());
            }
        }
        if (reencode) {
            SmimeFormat.ascii(fields, "Content-Transfer-Encoding: base64\r\n\r\n");
            // Encoded once, though written twice (digest, then the message).
            fields.writeBytes(SmimeFormat.base64Lines(entity.bodyCopy()));
            byte[] whole = fields.toByteArray();
            return out -> out.write(whole);
        }
        SmimeFormat.ascii(fields, "\r\n");
        byte[] head = fields.toByteArray();
        return out -> {
            out.write(head);
            Content.writeRange(out, entity.octets(), body.from(), body.to());
        };
    }

    /** @return whether the range has no NUL, no octet over 127 and no line over {@value #MAX_LINE} octets */
    static boolean isSevenBitSafe(byte[] octets, int from, int to) {
        int lineStart = from;
        int i = from;
        while (i < to) {
            // Eight octets at a time while none is NUL, 8-bit or LF, as Crlf.isCanonical does.
            while (i <= to - Long.BYTES) {
                long word = OctetWords.at(octets, i);
                if (OctetWords.hasHighBit(word) || OctetWords.contains(word, NULS) || OctetWords.contains(word, LFS)) {
                    break;
                }
                i += Long.BYTES;
            }
            if (i - lineStart > MAX_LINE) {
                return false;
            }
            for (int stop = Math.min(to, i + Long.BYTES); i < stop; i++) {
                byte b = octets[i];
                if (b <= 0) {
                    return false;
                }
                if (b == '\n') {
                    lineStart = i + 1;
                } else if (i + 1 - lineStart > MAX_LINE) {
                    return false;
                }
            }
        }
        return true;
    }
}
