package org.mailslot.openpgp.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes eight at a time (SWAR): the scans for line ends and bare CR/LF run over whole
 * messages, where a byte-at-a-time loop cost a quarter of decrypting one.
 */
final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteScan() {
    }

    /** @return the index of the first {@code target} at or after {@code from}, or -1 */
    static int indexOf(byte[] bytes, byte target, int from) {
        long pattern = (target & 0xFFL) * ONES;
        int i = from;
        for (; i + 8 <= bytes.length; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** @return the index of the first byte below {@code limit} (at most 128) at or after {@code from}, or -1 */
    static int indexOfBelow(byte[] bytes, int limit, int from) {
        long subtrahend = limit * ONES;
        int i = from;
        for (; i + 8 <= bytes.length; i += 8) {
            long x = (long) LONGS.get(bytes, i);
            long found = (x - subtrahend) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < bytes.length; i++) {
            if ((bytes[i] & 0xFF) < limit) {
                return i;
            }
        }
        return -1;
    }

    /** @return the index just past the LF that ends the line starting at {@code from}, or the length */
    static int lineEnd(byte[] bytes, int from) {
        int lf = indexOf(bytes, (byte) '\n', from);
        return lf < 0 ? bytes.length : lf + 1;
    }
}
