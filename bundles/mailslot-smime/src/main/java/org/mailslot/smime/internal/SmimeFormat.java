package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.mailslot.support.mail.ContentType;

/** The MIME framing of S/MIME (RFC 8551 section 3): media types, names, base64 lines. */
final class SmimeFormat {

    static final String SIGNATURE_TYPE = "application/pkcs7-signature";
    static final String SIGNATURE_TYPE_OLD = "application/x-pkcs7-signature";
    static final String MIME_TYPE = "application/pkcs7-mime";
    static final String MIME_TYPE_OLD = "application/x-pkcs7-mime";
    static final String AUTH_ENVELOPED = "authEnveloped-data";
    static final String ENVELOPED = "enveloped-data";
    static final String SIGNED_DATA = "signed-data";

    static final byte[] CRLF = {'\r', '\n'};
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, CRLF);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SmimeFormat() {
    }

    static String newBoundary() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return "----=_mailslot_smime_" + HexFormat.of().formatHex(random);
    }

    /** @return the content as base64 lines of 76 characters, each ended by CR LF */
    static byte[] base64Lines(byte[] content) {
        byte[] encoded = BASE64.encode(content);
        byte[] result = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, result, 0, encoded.length);
        result[encoded.length] = '\r';
        result[encoded.length + 1] = '\n';
        return result;
    }

    static byte[] decodeBase64(byte[] octets, int from, int to) {
        return Base64.getMimeDecoder().decode(java.nio.ByteBuffer.wrap(octets, from, to - from)).array();
    }

    static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    static boolean isSignatureType(ContentType type) {
        return type.is(SIGNATURE_TYPE) || type.is(SIGNATURE_TYPE_OLD);
    }

    static boolean isMimeType(ContentType type) {
        return type.is(MIME_TYPE) || type.is(MIME_TYPE_OLD);
    }
}
