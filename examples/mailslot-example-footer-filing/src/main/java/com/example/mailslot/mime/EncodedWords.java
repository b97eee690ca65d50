package com.example.mailslot.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decodes RFC 2047 encoded words ({@code =?utf-8?Q?Gr=C3=BC=C3=9Fe?=}) in unstructured header text. */
public final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern BLANK_BETWEEN_WORDS = Pattern.compile("(\\?=)[ \t]+(?==\\?)");

    private EncodedWords() {
    }

    /** @return the text with every encoded word in a known charset decoded; others left as they are */
    public static String decode(String text) {
        // Blanks between two encoded words are not part of the text (RFC 2047 section 6.2).
        String joined = BLANK_BETWEEN_WORDS.matcher(text).replaceAll("$1");
        Matcher word = WORD.matcher(joined);
        StringBuilder out = new StringBuilder();
        while (word.find()) {
            word.appendReplacement(out, Matcher.quoteReplacement(decodeWord(word)));
        }
        word.appendTail(out);
        return out.toString();
    }

    /** The "Q" encoding: quoted-printable where "_" is a space and nothing is soft-broken. */
    private static byte[] decodeQ(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    private static String decodeWord(Matcher word) {
        String charsetName = word.group(1);
        int language = charsetName.indexOf('*');
        if (language >= 0) {
            charsetName = charsetName.substring(0, language);
        }
        try {
            Charset charset = Charset.forName(charsetName);
            byte[] octets = word.group(2).equalsIgnoreCase("B")
                    ? Base64.getDecoder().decode(word.group(3))
                    : decodeQ(word.group(3));
            return new String(octets, charset);
        } catch (IllegalArgumentException unknownCharsetOrBadBase64) {
            return word.group();
        }
    }
}
