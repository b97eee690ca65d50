package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mailslot.support.mail.Crlf;

/** The eight-at-a-time scans agree with the obvious loops, and CRLF canonicalisation is exact. */
class ByteScanTest {

    @Test
    void scansAgreeWithSimpleLoops() {
        Random random = new Random(3);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(4) == 0 ? "\r\n\t\u00ff"
                        .charAt(random.nextInt(4)) : 32 + random.nextInt(200));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            assertThat(ByteScan.indexOf(bytes, (byte) '\n', from)).isEqualTo(simpleIndexOf(bytes, from));
            assertThat(ByteScan.indexOfBelow(bytes, 14, from)).isEqualTo(simpleBelow(bytes, from));
            String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            String canonical = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
            assertThat(new String(Crlf.canonical(bytes), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(canonical);
        }
    }

    private static int simpleIndexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int simpleBelow(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if ((bytes[i] & 0xFF) < 14) {
                return i;
            }
        }
        return -1;
    }
}
