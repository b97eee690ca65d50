package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Command lines are UTF-8 or refused: nothing is decoded to U+FFFD. */
class CommandLinesTest {

    @Test
    void decodesAsciiAndWellFormedUtf8() {
        assertThat(decode("RCPT TO:<bob@example.test>".getBytes(StandardCharsets.US_ASCII))).isEqualTo("RCPT TO:<bob@example.test>");
        assertThat(decode("RCPT TO:<jörg@bücher.example>".getBytes(StandardCharsets.UTF_8))).isEqualTo("RCPT TO:<jörg@bücher.example>");
        assertThat(decode("RCPT TO:<用户@例子.广告>".getBytes(StandardCharsets.UTF_8))).isEqualTo("RCPT TO:<用户@例子.广告>");
    }

    @Test
    void refusesWhatIsNotUtf8() {
        byte[][] malformed = {
            {'a', (byte) 0xC3, '(', 'b'},                 // a lead octet without its continuation
            {'a', (byte) 0xBF, 'b'},                      // a lone continuation octet
            {'a', (byte) 0xC0, (byte) 0xAF},              // an overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},      // an encoded surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {'a', (byte) 0xE2, (byte) 0x82},              // cut short at the end
            {(byte) 0xFF},
        };
        for (byte[] octets : malformed) {
            assertThat(decode(octets)).as(java.util.HexFormat.of().formatHex(octets)).isNull();
        }
    }

    @Test
    void namesTheVerbOfALineItCannotDecode() {
        byte[] line = {'r', 'c', 'p', 't', ' ', 'T', 'O', ':', '<', (byte) 0xFF, '>'};
        assertThat(CommandLines.verb(line, line.length)).isEqualTo("RCPT");
        assertThat(CommandLines.verb(new byte[] {(byte) 0xFF, 'x'}, 2)).isEqualTo("?X");
    }

    private static String decode(byte[] octets) {
        byte[] buffer = new byte[octets.length + 10];
        System.arraycopy(octets, 0, buffer, 0, octets.length);
        return CommandLines.decode(buffer, octets.length);
    }
}
