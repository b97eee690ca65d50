package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class SegmentsTest {

    @Test
    void aRecordLineIsTheMagicTheLengthAndTheChecksumAtTheirFixedWidths() {
        Random random = new Random(20);
        for (int size : new int[] {0, 1, 9, 1024, 65_536, 1_234_567}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] buffer = new byte[Segments.RECORD_LINE + size];
            System.arraycopy(content, 0, buffer, Segments.RECORD_LINE, size);

            ByteBuffer record = Segments.frame(buffer, buffer.length);

            CRC32C crc = new CRC32C();
            crc.update(content);
            String expected = String.format("MAILSLOT-RECORD 1 %010d %08x\n", size, crc.getValue());
            assertThat(new String(buffer, 0, Segments.RECORD_LINE, StandardCharsets.US_ASCII)).isEqualTo(expected);
            assertThat(record.remaining()).isEqualTo(buffer.length);
            assertThat(Arrays.copyOfRange(buffer, Segments.RECORD_LINE, buffer.length)).isEqualTo(content);
        }
    }

    @Test
    void aSpoolIdIsTheTimeAndTheSequenceInUpperCaseHex() {
        for (long[] values : new long[][] {{0, 0}, {1_765_000_000_000L, 0xFFFFF}, {0xFFFFFFFFFFFL, 0xABCDE}, {12345, 7}}) {
            assertThat(FileSpool.id(values[0], values[1])).isEqualTo(String.format("%011X%05X", values[0], values[1]));
        }
    }
}
