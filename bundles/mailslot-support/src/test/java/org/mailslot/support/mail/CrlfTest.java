package org.mailslot.support.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CrlfTest {

    /** The octet-by-octet rule the word-wise scan must agree with. */
    private static boolean canonicalOctetByOctet(byte[] octets) {
        for (int i = 0; i < octets.length; i++) {
            if (octets[i] == '\r') {
                if (i + 1 >= octets.length || octets[i + 1] != '\n') {
                    return false;
                }
                i++;
            } else if (octets[i] == '\n') {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aBareCrOrLfAnywhereIsNotCanonical() {
        assertThat(Crlf.isCanonical(new byte[0])).isTrue();
        assertThat(Crlf.isCanonical(ascii("0123456\r\n0123456789abcdef\r\n"))).isTrue();
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (byte bad : new byte[] {'\r', '\n'}) {
                    byte[] octets = new byte[length];
                    java.util.Arrays.fill(octets, (byte) 'x');
                    octets[at] = bad;
                    assertThat(Crlf.isCanonical(octets)).as("%d at %d of %d", bad, at, length).isFalse();
                    if (bad == '\r' && at + 1 < length) {
                        octets[at + 1] = '\n';
                        assertThat(Crlf.isCanonical(octets)).as("CR LF at %d of %d", at, length).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theWordWiseScanAgreesWithTheOctetWiseRule() {
        Random random = new Random(8551);
        byte[] alphabet = {'a', ' ', '\r', '\n', (byte) 0x8d, (byte) 0x8a, 0, (byte) 0xff};
        for (int round = 0; round < 20_000; round++) {
            byte[] octets = new byte[random.nextInt(70)];
            for (int i = 0; i < octets.length; i++) {
                octets[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'a';
                if (octets[i] == '\r' && i + 1 < octets.length && random.nextBoolean()) {
                    octets[++i] = '\n';
                }
            }
            assertThat(Crlf.isCanonical(octets)).as("%s", java.util.Arrays.toString(octets))
                    .isEqualTo(canonicalOctetByOctet(octets));
        }
    }

    @Test
    void theFirstLineBreakIsFoundWhereverItIsAndNowhereElse() {
        Random random = new Random(2920);
        byte[] octets = new byte[64];
        for (int round = 0; round < 20000; round++) {
            for (int i = 0; i < octets.length; i++) {
                // Mostly text, now and then a CR or LF; 0x0c, 0x0e and 0x8d/0x8a look close to them.
                int pick = random.nextInt(40);
                octets[i] = (byte) (pick == 0 ? '\r' : pick == 1 ? '\n' : pick == 2 ? 0x0c : pick == 3 ? 0x0e
                        : pick == 4 ? 0x8d : pick == 5 ? 0x8a : 'a' + pick % 26);
            }
            int from = random.nextInt(octets.length + 1);
            int to = from + random.nextInt(octets.length - from + 1);
            int expected = to;
            for (int i = to - 1; i >= from; i--) {
                if (octets[i] == '\r' || octets[i] == '\n') {
                    expected = i;
                }
            }
            assertThat(OctetWords.indexOfLineBreak(octets, from, to)).as("%s from %d to %d",
                    java.util.Arrays.toString(octets), from, to).isEqualTo(expected);
        }
    }

    @Test
    void aWordContainsAnOctetExactlyWhenOneOfItsEightIsThatOctet() {
        Random random = new Random(5322);
        for (int octet = 0; octet < 256; octet++) {
            long repeated = OctetWords.repeated(octet);
            for (int round = 0; round < 2000; round++) {
                long word = random.nextLong();
                if (round % 2 == 0) {
                    word = (word & ~(0xffL << (8 * (round % 16 / 2)))) | ((long) octet << (8 * (round % 16 / 2)));
                }
                boolean expected = false;
                for (int shift = 0; shift < 64; shift += 8) {
                    expected |= ((word >>> shift) & 0xff) == octet;
                }
                assertThat(OctetWords.contains(word, repeated)).as("%02x in %016x", octet, word).isEqualTo(expected);
            }
        }
    }
}
