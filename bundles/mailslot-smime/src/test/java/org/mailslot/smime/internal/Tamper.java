package org.mailslot.smime.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Changes one octet in the middle of the base64 body of an application/pkcs7-mime message. */
final class Tamper {

    private Tamper() {
    }

    static byte[] flipCiphertextByte(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        int bodyStart = text.indexOf("\r\n\r\n", text.indexOf("application/pkcs7-mime")) + 4;
        byte[] der = Base64.getMimeDecoder().decode(text.substring(bodyStart));
        der[der.length - 200] ^= 0x01;
        String body = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(der) + "\r\n";
        return (text.substring(0, bodyStart) + body).getBytes(StandardCharsets.US_ASCII);
    }
}
