package org.mailslot.smtp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The text of an SMTP command line, decoded strictly. */
final class CommandLines {

    private CommandLines() {
    }

    /**
     * @return the line as text, or null if it is not well-formed UTF-8 (an overlong form, a lone
     *     continuation octet, a surrogate); never with replacement characters
     */
    static String decode(byte[] octets, int length) {
        int i = 0;
        while (i < length && octets[i] >= 0) {
            i++;
        }
        if (i == length) {
            return new String(octets, 0, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** @return the command verb of a line, in upper case: the ASCII octets before the first space */
    static String verb(byte[] octets, int length) {
        StringBuilder verb = new StringBuilder();
        for (int i = 0; i < length && octets[i] != ' ' && verb.length() < 16; i++) {
            verb.append(octets[i] >= 0 ? (char) octets[i] : '?');
        }
        return verb.toString().toUpperCase(Locale.ROOT);
    }
}
