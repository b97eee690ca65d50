package org.mailslot.support.mail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight octets at a time, as one {@code long}: for scans over whole messages, where a loop octet by
 * octet costs more than the cryptography that follows it.
 */
public final class OctetWords {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private OctetWords() {
    }

    /** @return the eight octets from {@code index} on; the first is the lowest */
    public static long at(byte[] octets, int index) {
        return (long) WORDS.get(octets, index);
    }

    /** @return a word of eight times that octet, for {@link #contains} */
    public static long repeated(int octet) {
        return ONES * (octet & 0xff);
    }

    /** @return whether any octet of {@code word} is the one {@code repeated} holds; exact, no false positives */
    public static boolean contains(long word, long repeated) {
        long x = word ^ repeated;
        return ((x - ONES) & ~x & HIGH_BITS) != 0;
    }

    /**
     * @return the index of the first CR or LF in {@code octets} from {@code from} to before
     *     {@code to}, or {@code to} if there is none
     */
    public static int indexOfLineBreak(byte[] octets, int from, int to) {
        int i = from;
        while (i <= to - Long.BYTES) {
            long word = at(octets, i);
            if (contains(word, CRS) || contains(word, LFS)) {
                break;
            }
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            if (octets[i] == '\r' || octets[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /** @return whether any octet of {@code word} is 0x80 or above */
    public static boolean hasHighBit(long word) {
        return (word & HIGH_BITS) != 0;
    }
}
