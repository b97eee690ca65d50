package org.mailslot.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The packet framing of an OpenPGP message (RFC 9580 section 4.2, old and new formats, partial
 * body lengths), read without decrypting or verifying anything, and ASCII armor. Any
 * inconsistency is an {@link IllegalArgumentException}.
 */
final class PgpPackets {

    static final int PKESK = 1;
    static final int SIGNATURE = 2;
    static final int SKESK = 3;
    static final int MARKER = 10;
    static final int SEIPD = 18;
    /** The OCB encrypted data packet of LibrePGP (GnuPG 2.4). */
    static final int OCB_ENCRYPTED = 20;

    /** One packet: its tag and its body (partial chunks joined). */
    record Packet(int tag, byte[] body) {
    }

    private PgpPackets() {
    }

    /** @return the binary data of an armored block of that kind ({@code MESSAGE}, {@code SIGNATURE}) */
    static byte[] dearmor(byte[] text, String kind) {
        String armored = new String(text, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PGP " + kind + "-----";
        String end = "-----END PGP " + kind + "-----";
        int from = armored.indexOf(begin);
        if (from < 0 || !armored.substring(0, from).isBlank()) {
            throw new IllegalArgumentException("no armored PGP " + kind);
        }
        String[] lines = armored.substring(from + begin.length()).split("\r?\n", -1);
        int line = 1;
        while (line < lines.length && !lines[line].isBlank()) {
            if (!lines[line].contains(": ")) {
                break;
            }
            line++;
        }
        StringBuilder base64 = new StringBuilder();
        boolean ended = false;
        for (; line < lines.length; line++) {
            String current = lines[line].strip();
            if (current.equals(end)) {
                ended = true;
                break;
            }
            if (current.startsWith("=") && current.length() == 5) {
                continue;
            }
            base64.append(current);
        }
        if (!ended) {
            throw new IllegalArgumentException("the armor has no " + end + " line");
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    /** @return the packets, in order */
    static List<Packet> read(byte[] data) {
        List<Packet> packets = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int header = data[at++] & 0xff;
            if ((header & 0x80) == 0) {
                throw new IllegalArgumentException("octet " + (at - 1) + " does not start a packet");
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            int tag;
            if ((header & 0x40) != 0) {
                tag = header & 0x3f;
                while (true) {
                    int first = octet(data, at++);
                    long length;
                    boolean partial = false;
                    if (first < 192) {
                        length = first;
                    } else if (first < 224) {
                        length = ((first - 192) << 8) + octet(data, at++) + 192;
                    } else if (first == 255) {
                        length = 0;
                        for (int i = 0; i < 4; i++) {
                            length = (length << 8) | octet(data, at++);
                        }
                    } else {
                        length = 1L << (first & 0x1f);
                        partial = true;
                        if (!isDataPacket(tag)) {
                            throw new IllegalArgumentException("a partial length on packet " + tag);
                        }
                    }
                    at = chunk(data, at, length, body);
                    if (!partial) {
                        break;
                    }
                }
            } else {
                tag = (header >> 2) & 0x0f;
                int lengthType = header & 0x03;
                long length;
                if (lengthType == 3) {
                    length = data.length - at;
                } else {
                    int count = 1 << lengthType;
                    length = 0;
                    for (int i = 0; i < count; i++) {
                        length = (length << 8) | octet(data, at++);
                    }
                }
                at = chunk(data, at, length, body);
            }
            packets.add(new Packet(tag, body.toByteArray()));
        }
        return packets;
    }

    private static boolean isDataPacket(int tag) {
        return tag == 8 || tag == 9 || tag == 11 || tag == SEIPD || tag == OCB_ENCRYPTED;
    }

    private static int chunk(byte[] data, int at, long length, java.io.ByteArrayOutputStream body) {
        if (length > data.length - at) {
            throw new IllegalArgumentException("a packet longer than the data");
        }
        body.write(data, at, (int) length);
        return at + (int) length;
    }

    private static int octet(byte[] data, int at) {
        if (at >= data.length) {
            throw new IllegalArgumentException("the data ends inside a packet header");
        }
        return data[at] & 0xff;
    }
}
