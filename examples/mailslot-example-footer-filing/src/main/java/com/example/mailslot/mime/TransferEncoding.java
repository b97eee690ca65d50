package com.example.mailslot.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** The content transfer encodings of RFC 2045 section 6, decoded to octets and encoded back. */
public enum TransferEncoding {
    SEVEN_BIT("7bit"),
    EIGHT_BIT("8bit"),
    BINARY("binary"),
    QUOTED_PRINTABLE("quoted-printable"),
    BASE64("base64");

    /** RFC 5322: no line longer than 998 octets plus CRLF. */
    private static final int MAX_LINE = 998;
    /** RFC 2045: encoded lines of at most 76 characters. */
    private static final int ENCODED_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final String label;

    TransferEncoding(String label) {
        this.label = label;
    }

    /** @return the name as written in Content-Transfer-Encoding */
    public String label() {
        return label;
    }

    /** @param value a Content-Transfer-Encoding value, any case; an unknown one (x-uuencode, ...) gives empty */
    public static Optional<TransferEncoding> of(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (TransferEncoding encoding : values()) {
            if (encoding.label.equals(wanted)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }

    /** @return the content octets that the body octets encode */
    public byte[] decode(byte[] body) {
        return switch (this) {
            case SEVEN_BIT, EIGHT_BIT, BINARY -> body.clone();
            case QUOTED_PRINTABLE -> decodeQuotedPrintable(body);
            case BASE64 -> Base64.getMimeDecoder().decode(body);
        };
    }

    /** @return body octets for the content, in this encoding */
    public byte[] encode(byte[] content) {
        return switch (this) {
            case SEVEN_BIT, EIGHT_BIT, BINARY -> content.clone();
            case QUOTED_PRINTABLE -> encodeQuotedPrintable(content);
            case BASE64 -> base64(content);
        };
    }

    /**
     * @return this encoding if it can carry the content as it is, else quoted-printable: 7bit
     *     holds only ASCII in lines of at most 998 octets, 8bit no NUL and no long lines either
     */
    public TransferEncoding toCarry(byte[] content) {
        boolean fits = switch (this) {
            case SEVEN_BIT -> isSevenBit(content);
            case EIGHT_BIT -> fitsEightBit(content);
            case BINARY, QUOTED_PRINTABLE, BASE64 -> true;
        };
        return fits ? this : QUOTED_PRINTABLE;
    }

    private static boolean isSevenBit(byte[] content) {
        for (byte b : content) {
            if (b < 0 || b == 0) {
                return false;
            }
        }
        return fitsEightBit(content);
    }

    private static boolean fitsEightBit(byte[] content) {
        int line = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == 0) {
                return false;
            }
            if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                line = 0;
                i++;
            } else if (b == '\r' || b == '\n') {
                return false;
            } else if (++line > MAX_LINE) {
                return false;
            }
        }
        return true;
    }

    private static byte[] base64(byte[] content) {
        byte[] encoded = Base64.getMimeEncoder(ENCODED_LINE, new byte[] {'\r', '\n'}).encode(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 2);
        out.writeBytes(encoded);
        if (encoded.length > 0) {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    static byte[] encodeQuotedPrintable(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 8);
        int line = 0;
        for (int i = 0; i < content.length; i++) {
            int b = content[i] & 0xFF;
            if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                out.write('\r');
                out.write('\n');
                line = 0;
                i++;
                continue;
            }
            boolean endOfLine = i + 1 == content.length
                    || (content[i + 1] == '\r' && i + 2 < content.length && content[i + 2] == '\n');
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !endOfLine);
            int width = literal ? 1 : 3;
            // Keep room for the soft break's "=" unless this is the line's last character.
            if (line + width > (endOfLine ? ENCODED_LINE : ENCODED_LINE - 1)) {
                out.write('=');
                out.write('\r');
                out.write('\n');
                line = 0;
            }
            if (literal) {
                out.write(b);
            } else {
                out.write('=');
                out.write(HEX[b >> 4]);
                out.write(HEX[b & 0x0F]);
            }
            line += width;
        }
        return out.toByteArray();
    }

    static byte[] decodeQuotedPrintable(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xFF;
            if (b == '=') {
                int afterBlanks = skipBlanks(body, i + 1);
                if (afterBlanks + 1 < body.length && body[afterBlanks] == '\r' && body[afterBlanks + 1] == '\n') {
                    i = afterBlanks + 1;
                } else if (afterBlanks == body.length) {
                    i = afterBlanks;
                } else if (i + 2 < body.length && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0) {
                    out.write(hex(body[i + 1]) << 4 | hex(body[i + 2]));
                    i += 2;
                } else {
                    out.write(b);
                }
            } else if (b == ' ' || b == '\t') {
                int afterBlanks = skipBlanks(body, i);
                boolean trailing = afterBlanks == body.length
                        || (afterBlanks + 1 < body.length && body[afterBlanks] == '\r' && body[afterBlanks + 1] == '\n');
                if (trailing) {
                    i = afterBlanks - 1;
                } else {
                    out.write(b);
                }
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int skipBlanks(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
