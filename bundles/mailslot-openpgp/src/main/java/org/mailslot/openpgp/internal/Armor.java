package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.support.mail.Octets;

/**
 * ASCII armor (RFC 9580 §6) with the JDK's Base64, which is an order of magnitude faster here than
 * Bouncy Castle's byte-at-a-time armor streams. Writes no headers, but the CRC-24 checksum: GnuPG
 * 2.2 misreads large armored messages without it. Reads either, ignoring the checksum: integrity
 * comes from the MDC, AEAD tags and signatures, not from it.
 */
final class Armor {

    static final String MESSAGE = "MESSAGE";
    static final String SIGNATURE = "SIGNATURE";

    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, new byte[] {'\r', '\n'});

    private Armor() {
    }

    /** @return the armored block with CRLF line ends */
    static byte[] encode(String type, byte[] binary) {
        Octets out = new Octets(binary.length * 4 / 3 + binary.length / 24 + 128);
        encodeTo(out, type, binary, 0, binary.length);
        return out.toByteArray();
    }

    /** Appends the armored block of {@code binary[offset, offset + length)} to {@code out}, CRLF lines. */
    static void encodeTo(ByteArrayOutputStream out, String type, byte[] binary, int offset, int length) {
        out.writeBytes(("-----BEGIN PGP " + type + "-----\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        try (java.io.OutputStream base64 = ENCODER.wrap(out)) {
            base64.write(binary, offset, length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing to memory failed", e);
        }
        out.writeBytes(("\r\n=" + checksum(binary, offset, length) + "\r\n-----END PGP " + type + "-----\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * CRC-24 tables for slicing by four: the 24-bit register is kept in the top of an int (the
     * polynomial shifted left by 8), so four bytes are folded in per step.
     */
    private static final int[][] CRC_TABLES = new int[4][256];

    static {
        int polynomial = 0x864CFB << 8;
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ polynomial : crc << 1;
            }
            CRC_TABLES[0][i] = crc;
        }
        for (int k = 1; k < 4; k++) {
            for (int i = 0; i < 256; i++) {
                int previous = CRC_TABLES[k - 1][i];
                CRC_TABLES[k][i] = (previous << 8) ^ CRC_TABLES[0][previous >>> 24];
            }
        }
    }

    /** @return the CRC-24 (RFC 4880 §6.1) of the data */
    static int crc24(byte[] data, int offset, int length) {
        int[] t0 = CRC_TABLES[0];
        int[] t1 = CRC_TABLES[1];
        int[] t2 = CRC_TABLES[2];
        int[] t3 = CRC_TABLES[3];
        int crc = 0xB704CE << 8;
        int i = offset;
        int limit = offset + length;
        for (int end = limit - 3; i < end; i += 4) {
            int x = crc ^ ((data[i] & 0xFF) << 24 | (data[i + 1] & 0xFF) << 16 | (data[i + 2] & 0xFF) << 8
                    | (data[i + 3] & 0xFF));
            crc = t3[x >>> 24] ^ t2[(x >>> 16) & 0xFF] ^ t1[(x >>> 8) & 0xFF] ^ t0[x & 0xFF];
        }
        for (; i < limit; i++) {
            crc = (crc << 8) ^ t0[(crc >>> 24) ^ (data[i] & 0xFF)];
        }
        return crc >>> 8;
    }

    /** @return the Base64 of the CRC-24 of the data, as the armor checksum line carries it */
    static String checksum(byte[] data) {
        return checksum(data, 0, data.length);
    }

    static String checksum(byte[] data, int offset, int length) {
        int crc = crc24(data, offset, length);
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
    }

    /** @return true if the bytes begin (after blank lines) with an armor header line */
    static boolean isArmored(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return startsWith(bytes, i, "-----BEGIN PGP ");
    }

    /**
     * @return the binary data of the first armored block
     * @throws CryptoException MALFORMED if there is no complete block or its Base64 is bad
     */
    static byte[] decode(byte[] text) throws CryptoException {
        int begin = indexOf(text, "-----BEGIN PGP ", 0);
        if (begin < 0) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "no ASCII armor header line");
        }
        int line = nextLine(text, begin);
        // Armor headers ("Version: ...", "Comment: ...") end at the first blank line.
        while (line < text.length && !blank(text, line)) {
            if (!contains(text, line, nextLine(text, line), (byte) ':')) {
                break; // no blank line after the header line: tolerate and start the body here
            }
            line = nextLine(text, line);
        }
        if (line < text.length && blank(text, line)) {
            line = nextLine(text, line);
        }
        // Gather the Base64 of the body lines without their line ends, for the JDK's plain decoder
        // (its MIME decoder first scans every byte to size its output).
        byte[] base64 = new byte[text.length - line];
        int length = 0;
        boolean ended = false;
        while (line < text.length) {
            if (startsWith(text, line, "-----END PGP ") || text[line] == '=') {
                ended = true;
                break;
            }
            int next = nextLine(text, line);
            int end = next;
            while (end > line && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' '
                    || text[end - 1] == '\t')) {
                end--;
            }
            System.arraycopy(text, line, base64, length, end - line);
            length += end - line;
            line = next;
        }
        if (!ended) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "ASCII armor without its END line");
        }
        try {
            java.nio.ByteBuffer decoded = Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(base64, 0, length));
            byte[] array = decoded.array();
            return decoded.position() == 0 && decoded.limit() == array.length ? array
                    : java.util.Arrays.copyOfRange(array, decoded.position(), decoded.limit());
        } catch (IllegalArgumentException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "bad Base64 in ASCII armor", e);
        }
    }

    /** @return binary OpenPGP data: the decoded armor, or the bytes themselves if not armored */
    static byte[] binary(byte[] bytes) throws CryptoException {
        return isArmored(bytes) ? decode(bytes) : bytes;
    }

    private static int nextLine(byte[] text, int from) {
        return ByteScan.lineEnd(text, from);
    }

    private static boolean blank(byte[] text, int line) {
        for (int i = line; i < text.length && text[i] != '\n'; i++) {
            if (text[i] != '\r' && text[i] != ' ' && text[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] text, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (text[i] == wanted) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] text, int at, String prefix) {
        if (at + prefix.length() > text.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] text, String wanted, int from) {
        for (int i = from; i <= text.length - wanted.length(); i++) {
            if (startsWith(text, i, wanted)) {
                return i;
            }
        }
        return -1;
    }
}
