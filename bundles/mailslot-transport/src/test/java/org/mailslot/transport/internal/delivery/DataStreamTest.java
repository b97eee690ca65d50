package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The body as DATA carries it: CRLF lines, dots doubled at line starts, the last line ended. */
class DataStreamTest {

    private static String data(String... writes) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataStream data = new DataStream(wire);
        for (String write : writes) {
            data.write(write.getBytes(StandardCharsets.ISO_8859_1));
        }
        data.finish();
        return wire.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfLinesPassUnchanged() throws IOException {
        assertThat(data("Subject: x\r\n\r\nbody\r\n")).isEqualTo("Subject: x\r\n\r\nbody\r\n");
    }

    @Test
    void aDotThatStartsALineIsDoubled() throws IOException {
        assertThat(data(".first\r\nmid.dle\r\n..two\r\n.\r\n")).isEqualTo("..first\r\nmid.dle\r\n...two\r\n..\r\n");
    }

    @Test
    void bareLineEndsBecomeCrlf() throws IOException {
        assertThat(data("a\nb\rc\r\r\n.d\n")).isEqualTo("a\r\nb\r\nc\r\n\r\n..d\r\n");
    }

    @Test
    void theLastLineIsEnded() throws IOException {
        assertThat(data("no end")).isEqualTo("no end\r\n");
        assertThat(data("bare cr\r")).isEqualTo("bare cr\r\n");
        assertThat(data("")).isEmpty();
    }

    @Test
    void lineEndsAndDotsSplitAcrossWrites() throws IOException {
        assertThat(data("a\r", "\n.b\r", ".c\r", "", "\n", ".", "d")).isEqualTo("a\r\n..b\r\n..c\r\n..d\r\n");
    }
}
