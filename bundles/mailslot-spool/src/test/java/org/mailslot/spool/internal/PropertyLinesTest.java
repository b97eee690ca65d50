package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class PropertyLinesTest {

    @Test
    void whatItWritesPropertiesReadsBackExactly() throws Exception {
        String[] values = {"", "plain", " leading and trailing ", "a=b:c#d!e\\f", "line\r\nbreak\ttab\fform",
                "\u0000nul\u007fdel", "Grüße, 日本語, 😀", "#not a comment", "!nor this", "ends with \\"};
        PropertyLines lines = new PropertyLines();
        for (int i = 0; i < values.length; i++) {
            lines.put("key " + i + "=:#!", values[i]);
        }
        lines.put("count", 42L);

        byte[] bytes = lines.toBytes();
        Properties read = new Properties();
        read.load(new ByteArrayInputStream(bytes));

        assertThat(read).hasSize(values.length + 1);
        for (int i = 0; i < values.length; i++) {
            assertThat(read.getProperty("key " + i + "=:#!")).isEqualTo(values[i]);
        }
        assertThat(read.getProperty("count")).isEqualTo("42");
        for (byte b : bytes) {
            assertThat(b).isBetween((byte) 0x0a, (byte) 0x7e);
        }
    }
}
