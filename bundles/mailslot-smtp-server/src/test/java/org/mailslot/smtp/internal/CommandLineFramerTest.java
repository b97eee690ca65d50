package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Command lines out of octets: only CRLF ends one, whatever the pieces. */
class CommandLineFramerTest {

    @Test
    void aLineEndsAtCrLfEvenWhenItsPiecesBreakBetweenCrAndLf() {
        CommandLineFramer framer = new CommandLineFramer(1000);
        byte[] first = "NOOP\r".getBytes(StandardCharsets.US_ASCII);
        assertThat(framer.frame(first, 0, first.length)).isEqualTo(first.length);
        assertThat(framer.complete()).isFalse();
        byte[] second = "\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(framer.frame(second, 0, second.length)).isEqualTo(1);
        assertThat(framer.complete()).isTrue();
        assertThat(new String(framer.octets(), 0, framer.length(), StandardCharsets.US_ASCII)).isEqualTo("NOOP");
        assertThat(framer.bare()).isFalse();
        framer.next();
        assertThat(framer.frame(second, 1, second.length)).isEqualTo(second.length);
        assertThat(new String(framer.octets(), 0, framer.length(), StandardCharsets.US_ASCII)).isEqualTo("QUIT");
    }

    @Test
    void aBareCrOrLfSpoilsTheLineUpToTheNextCrLf() {
        for (String line : new String[] {"NOOP\nMAIL FROM:<a@b>\r\n", "RSET\rMAIL FROM:<a@b>\r\n"}) {
            CommandLineFramer framer = new CommandLineFramer(1000);
            byte[] octets = line.getBytes(StandardCharsets.US_ASCII);
            assertThat(framer.frame(octets, 0, octets.length)).isEqualTo(octets.length);
            assertThat(framer.complete()).isTrue();
            assertThat(framer.bare()).isTrue();
        }
    }

    @Test
    void aLineBeyondTheLimitIsMarkedAndStillEndsAtItsCrLf() {
        CommandLineFramer framer = new CommandLineFramer(10);
        byte[] octets = "12345678\r\n".getBytes(StandardCharsets.US_ASCII);
        framer.frame(octets, 0, octets.length);
        assertThat(framer.tooLong()).isFalse();
        framer.next();
        byte[] longer = "123456789\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(framer.frame(longer, 0, longer.length)).isEqualTo(11);
        assertThat(framer.tooLong()).isTrue();
    }
}
