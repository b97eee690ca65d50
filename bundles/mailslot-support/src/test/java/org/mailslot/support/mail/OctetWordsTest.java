package org.mailslot.support.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The word-wise octet tests against the octet-wise rule, on words of every kind of octet. */
class OctetWordsTest {

    @Test
    void equalOctetsMarksExactlyTheEqualOctets() {
        Random random = new Random(8);
        byte[] palette = {' ', '\t', '\r', '\n', 0, 1, 0x1f, 0x20, 0x21, 0x7f, (byte) 0x80, (byte) 0xa0, (byte) 0xff, 'a'};
        byte[] octets = new byte[8];
        for (int round = 0; round < 100_000; round++) {
            for (int i = 0; i < 8; i++) {
                octets[i] = palette[random.nextInt(palette.length)];
            }
            int wanted = palette[random.nextInt(palette.length)] & 0xff;
            long expected = 0;
            for (int i = 0; i < 8; i++) {
                if ((octets[i] & 0xff) == wanted) {
                    expected |= 0x80L << (8 * i);
                }
            }
            assertEquals(expected, OctetWords.equalOctets(OctetWords.at(octets, 0), OctetWords.repeated(wanted)));
        }
    }
}
