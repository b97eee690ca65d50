package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MessageSource;

class HeaderSectionTest {

    @Test
    void readsUnfoldedValuesByNameInAnyCase() throws IOException {
        HeaderSection headers = HeaderSection.read(source("Subject: a\r\n long one\r\nFROM: x@y.example\r\n\r\nbody\r\n"));

        assertThat(headers.get("subject")).contains("a long one");
        assertThat(headers.get("From")).contains("x@y.example");
        assertThat(headers.get("To")).isEmpty();
    }

    @Test
    void removesAFoldedFieldAndKeepsTheBodyByteForByte() throws IOException {
        String message = "A: 1\r\nMailslot-Protect: encrypt,\r\n\tsign\r\nB: 2\r\n\r\nbody\r\n\r\nmore: not a header\r\n";
        MessageSource source = source(message);

        MessageSource without = HeaderSection.read(source).without(source, "mailslot-protect");

        assertThat(FakeCrypto.read(without)).isEqualTo("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore: not a header\r\n");
        assertThat(FakeCrypto.read(without)).as("readable again").isEqualTo(FakeCrypto.read(without));
    }

    @Test
    void aMessageWithoutBodyIsAllHeaders() throws IOException {
        MessageSource source = source("A: 1\r\nB: 2\r\n");

        assertThat(FakeCrypto.read(HeaderSection.read(source).without(source, "A"))).isEqualTo("B: 2\r\n");
    }

    @Test
    void refusesAHeaderSectionBeyondTheLimit() {
        byte[] huge = ("X: " + "a".repeat(HeaderSection.MAX_BYTES) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThatIOException().isThrownBy(() -> HeaderSection.read(MessageSource.of(huge)))
                .withMessageContaining("header section is longer than");
    }

    @Test
    void everyFieldOfANameAndTheLengthAreKnown() throws IOException {
        HeaderSection headers = HeaderSection.read(source("From: a@example.com\r\nTo: x@example.org\r\nfrom: b@example.com\r\n\r\nbody"));

        assertThat(headers.all("FROM")).containsExactly("a@example.com", "b@example.com");
        assertThat(headers.length()).isEqualTo("From: a@example.com\r\nTo: x@example.org\r\nfrom: b@example.com\r\n\r\n".length());
    }

    @Test
    void findsAFieldByNameWithoutParsingAndNotInTheBodyOrAFoldedValue() throws IOException {
        assertThat(HeaderSection.hasField(source("A: 1\r\nmailslot-PROTECT : sign\r\n\r\nbody\r\n"), "Mailslot-Protect"))
                .isTrue();
        assertThat(HeaderSection.hasField(source("A: 1\r\n Mailslot-Protect: sign\r\nMailslot-Protected: x\r\n\r\n"
                + "Mailslot-Protect: sign\r\n"), "Mailslot-Protect")).isFalse();
        assertThat(HeaderSection.hasField(source("\r\nMailslot-Protect: sign\r\n"), "Mailslot-Protect"))
                .as("no header fields at all").isFalse();
    }

    @Test
    void readsAHeaderSectionLargerThanOneBlock() throws IOException {
        String big = "X-Big: " + "b".repeat(20_000) + "\r\n";
        MessageSource message = source(big + "Subject: s\r\n\r\nbody\r\nY: not a field\r\n");

        HeaderSection headers = HeaderSection.read(message);

        assertThat(headers.get("Subject")).contains("s");
        assertThat(headers.has("Y")).isFalse();
        assertThat(headers.length()).isEqualTo(big.length() + "Subject: s\r\n\r\n".length());
        assertThat(HeaderSection.hasField(message, "subject")).isTrue();
    }

    private static MessageSource source(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Read as the OpenPGP and S/MIME bundles read it: a line that is no field ends the header section. */
    @Test
    void aLineThatIsNoFieldStartsTheBody() throws IOException {
        MessageSource source = source("From: a@example.com\r\nnot a field\r\nTo: x@example.org\r\n\r\nbody\r\n");
        HeaderSection headers = HeaderSection.read(source);

        assertThat(headers.names()).containsExactly("from");
        assertThat(headers.get("To")).isEmpty();
        assertThat(headers.length()).isEqualTo("From: a@example.com\r\n".length());
        assertThat(FakeCrypto.read(headers.without(source, "X"))).isEqualTo(FakeCrypto.read(source));
    }
}
