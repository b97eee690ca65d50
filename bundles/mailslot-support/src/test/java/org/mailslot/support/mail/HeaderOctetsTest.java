package org.mailslot.support.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HeaderOctetsTest {

    private static ByteArrayInputStream message(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(ByteArrayInputStream in, int max) throws IOException {
        return new String(HeaderOctets.read(in, max), StandardCharsets.US_ASCII);
    }

    @Test
    void theSectionEndsWithItsEmptyLineAndTheStreamIsLeftAtTheBody() throws IOException {
        ByteArrayInputStream in = message("Subject: x\r\nFrom: <a@example.org>\r\n\r\nbody\r\n");

        assertThat(read(in, 1024)).isEqualTo("Subject: x\r\nFrom: <a@example.org>\r\n\r\n");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("body\r\n");
    }

    @Test
    void bareLineFeedsEndItToo() throws IOException {
        assertThat(read(message("Subject: x\n\nbody\n"), 1024)).isEqualTo("Subject: x\n\n");
    }

    @Test
    void aMessageWithoutAnEmptyLineIsAllHeader() throws IOException {
        assertThat(read(message("Subject: x\r\nFrom: y"), 1024)).isEqualTo("Subject: x\r\nFrom: y");
    }

    @Test
    void aLongSectionIsCutAtMaxWithoutReadingFurther() throws IOException {
        ByteArrayInputStream in = message("Subject: 0123456789\r\n\r\nbody");

        assertThat(read(in, 10)).isEqualTo("Subject: 0");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("123456789\r\n\r\nbody");
    }

    @Test
    void aSectionOfExactlyMaxOctetsIsWholeWhileALongerOneReadsOneMore() throws IOException {
        String section = "Subject: x\r\n\r\n";

        assertThat(read(message(section + "body"), section.length())).isEqualTo(section);
        assertThat(HeaderOctets.read(message(section + "body"), section.length() + 1)).hasSize(section.length());
        assertThat(HeaderOctets.read(message("Subject: xy\r\n\r\n"), section.length() + 1)).hasSize(section.length() + 1);
    }
}
