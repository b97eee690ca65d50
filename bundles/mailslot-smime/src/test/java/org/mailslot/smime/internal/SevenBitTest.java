package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SevenBitTest {

    /** The octet-by-octet rule the word-wise scan must agree with. */
    private static boolean safeOctetByOctet(byte[] octets, int from, int to) {
        int lineLength = 0;
        for (int i = from; i < to; i++) {
            if (octets[i] <= 0) {
                return false;
            }
            if (octets[i] == '\n') {
                lineLength = 0;
            } else if (++lineLength > 998) {
                return false;
            }
        }
        return true;
    }

    private static byte[] line(int length) {
        byte[] octets = new byte[length + 2];
        Arrays.fill(octets, (byte) 'x');
        octets[length] = '\r';
        octets[length + 1] = '\n';
        return octets;
    }

    @Test
    void linesUpTo998OctetsWithTheirCrPassAndLongerOnesDoNot() {
        // The CR counts, as before the scan went word-wise: 997 characters and CR LF is the longest.
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 990; length <= 1000; length++) {
                byte[] octets = new byte[offset + length + 2 + 5];
                Arrays.fill(octets, (byte) 'y');
                System.arraycopy(line(length), 0, octets, offset, length + 2);
                int to = offset + length + 2;
                assertThat(SevenBit.isSevenBitSafe(octets, offset, to)).as("%d at %d", length, offset).isEqualTo(length <= 997);
                assertThat(SevenBit.isSevenBitSafe(octets, offset, offset + length)).isEqualTo(length <= 998);
            }
        }
    }

    @Test
    void aNulOrAnEightBitOctetAnywhereIsNotSafe() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (byte bad : new byte[] {0, (byte) 0x80, (byte) 0xc3, (byte) 0xff}) {
                    byte[] octets = new byte[length];
                    Arrays.fill(octets, (byte) 'a');
                    octets[at] = bad;
                    assertThat(SevenBit.isSevenBitSafe(octets, 0, length)).isFalse();
                    assertThat(SevenBit.isSevenBitSafe(octets, at + 1, length)).isTrue();
                }
            }
        }
    }

    @Test
    void theWordWiseScanAgreesWithTheOctetWiseRule() {
        Random random = new Random(3156);
        for (int round = 0; round < 20_000; round++) {
            byte[] octets = new byte[random.nextInt(3000)];
            int lineMax = 900 + random.nextInt(200);
            int sinceLf = 0;
            for (int i = 0; i < octets.length; i++) {
                int pick = random.nextInt(100_000);
                octets[i] = pick == 0 ? 0 : pick == 1 ? (byte) 0xe9 : (byte) ('a' + pick % 26);
                if (++sinceLf > lineMax || random.nextInt(1500) == 0) {
                    octets[i] = '\n';
                    sinceLf = 0;
                }
            }
            int from = octets.length == 0 ? 0 : random.nextInt(Math.min(20, octets.length));
            int to = octets.length - (octets.length - from == 0 ? 0 : random.nextInt(Math.min(20, octets.length - from)));
            assertThat(SevenBit.isSevenBitSafe(octets, from, to)).isEqualTo(safeOctetByOctet(octets, from, to));
        }
    }
}
