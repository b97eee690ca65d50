package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Base64LineStreamTest {

    @Test
    void streamedBase64IsTheBase64OfTheWholeWhateverTheWrites() throws Exception {
        Random random = new Random(2045);
        int chunk = 57 * 256;
        for (int length : new int[] {1, 2, 3, 56, 57, 58, 114, chunk - 1, chunk, chunk + 1, 3 * chunk, 3 * chunk + 40, 200_003}) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Base64LineStream base64 = new Base64LineStream(out);
            int position = 0;
            while (position < length) {
                int n = Math.min(length - position, random.nextBoolean() ? 1 : random.nextInt(40_000));
                if (n == 1) {
                    base64.write(content[position]);
                } else {
                    base64.write(content, position, n);
                }
                position += n;
            }
            base64.finish();
            base64.close();
            assertThat(out.toByteArray()).as("%d octets", length).isEqualTo(SmimeFormat.base64Lines(content));
        }
    }
}
