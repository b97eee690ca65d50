package org.mailslot.dkim.internal;

import java.util.Base64;
import java.util.List;

/**
 * Writes a signature field (DKIM-Signature, ARC-Message-Signature, ARC-Seal): its tags folded at 76
 * columns, {@code h=} between names, and {@code b=} last on a line of its own, so the field hashed
 * without the signature is the field that is sent, but for the value of b=.
 */
final class SignatureField {

    private static final int LINE = 76;

    private SignatureField() {
    }

    /**
     * @param name the field name
     * @param tags the tags before b=, each {@code name=value}
     * @return the field up to and including {@code b=}, as it is hashed
     */
    static String unsigned(String name, List<String> tags) {
        StringBuilder field = new StringBuilder(name).append(':');
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
        return field.append("\r\n\tb=").toString();
    }

    /** @return the unsigned field with the signature's base64 folded after b=, without a final CRLF */
    static String signed(String unsigned, byte[] signature) {
        String base64 = Base64.getEncoder().encodeToString(signature);
        StringBuilder out = new StringBuilder(unsigned.length() + base64.length() + 16).append(unsigned);
        int room = LINE - (unsigned.length() - unsigned.lastIndexOf('\n') - 1);
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
}
