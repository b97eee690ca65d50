package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.util.Set;

/**
 * The entity to sign, in a form no transport will alter (RFC 8551 section 3.1.3): a single-part
 * body with 8-bit octets or lines over 998 octets is re-encoded as base64. Multipart bodies are
 * signed as they are.
 */
final class SevenBit {

    private static final Set<String> IDENTITY_ENCODINGS = Set.of("7bit", "8bit", "binary");
    private static final int MAX_LINE = 998;

    private SevenBit() {
    }

    static byte[] entity(MimeEntity entity) {
        MimeEntity.Range body = entity.body();
        boolean multipart = entity.contentType().type().equals("multipart");
        boolean reencode = !multipart && IDENTITY_ENCODINGS.contains(entity.transferEncoding())
                && !isSevenBitSafe(entity.octets(), body.from(), body.to());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() * (reencode ? 4 : 3) / 3 + 512);
        if (!entity.hasContentType()) {
            SmimeFormat.ascii(out, "Content-Type: text/plain; charset=utf-8\r\n");
        }
        for (MimeEntity.Field field : entity.fields()) {
            if (field.describesContent() && !field.named("MIME-Version")
                    && !(reencode && field.named("Content-Transfer-Encoding"))) {
                out.writeBytes(field.raw());
            }
        }
        if (reencode) {
            SmimeFormat.ascii(out, "Content-Transfer-Encoding: base64\r\n\r\n");
            out.writeBytes(SmimeFormat.base64Lines(entity.bodyCopy()));
        } else {
            out.write('\r');
            out.write('\n');
            out.write(entity.octets(), body.from(), body.length());
        }
        return out.toByteArray();
    }

    static boolean isSevenBitSafe(byte[] octets, int from, int to) {
        int lineLength = 0;
        for (int i = from; i < to; i++) {
            byte b = octets[i];
            if (b < 0 || b == 0) {
                return false;
            }
            if (b == '\n') {
                lineLength = 0;
            } else if (++lineLength > MAX_LINE) {
                return false;
            }
        }
        return true;
    }
}
