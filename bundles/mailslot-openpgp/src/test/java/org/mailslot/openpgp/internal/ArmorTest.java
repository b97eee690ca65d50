package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.Test;

/** Our fast armor against Bouncy Castle's: same checksum, and each reads the other's output. */
class ArmorTest {

    @Test
    void checksumAndBlocksMatchBouncyCastle() throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {1, 2, 3, 4, 5, 57, 1000, 65_537}) {
            byte[] data = new byte[length];
            random.nextBytes(data);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(bytes)) {
                armor.write(data);
            }
            String bouncy = bytes.toString(StandardCharsets.US_ASCII);
            String line = bouncy.lines().filter(l -> l.startsWith("=")).findFirst().orElseThrow();
            assertThat("=" + Armor.checksum(data)).as("CRC-24 of %d bytes", length).isEqualTo(line);

            byte[] ours = Armor.encode(Armor.MESSAGE, data);
            assertThat(new ArmoredInputStream(new ByteArrayInputStream(ours)).readAllBytes()).isEqualTo(data);
            assertThat(Armor.decode(bouncy.getBytes(StandardCharsets.US_ASCII))).isEqualTo(data);
        }
    }
}
