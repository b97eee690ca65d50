package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.support.mail.Crlf;
import org.mailslot.support.mail.MimeEntity;

class MimeFramingTest {

    @Test
    void lineEndingsBecomeCrlfAndCanonicalInputIsNotCopied() {
        byte[] canonical = "a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crlf.canonical(canonical)).isSameAs(canonical);
        assertThat(new String(Crlf.canonical("a\nb\rc\r\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test
    void theFromAddressIsTheOneMailboxOfTheOneFromField() {
        assertThat(FromAddress.of(List.of("\"Doe, Alice\" <alice@example.org>"))).hasToString("alice@example.org");
        assertThat(FromAddress.of(List.of("alice@example.org (Alice)"))).hasToString("alice@example.org");
        assertThat(FromAddress.of(List.of("undisclosed"))).isNull();
        assertThat(FromAddress.of(List.of("Alice <a@x.example>, Bob <b@y.example>"))).isNull();
        assertThat(FromAddress.whyNone(List.of("Alice <a@x.example>, Bob <b@y.example>")))
                .isEqualTo("the From field holds 2 mailboxes, not one");
    }

    @Test
    void eightBitBodiesAreReencodedForSigning() throws Exception {
        MimeEntity entity = MimeEntity.parse("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"
                .getBytes(StandardCharsets.UTF_8));
        String signed = written(SevenBit.entity(entity));
        assertThat(signed).contains("Content-Transfer-Encoding: base64\r\n").doesNotContain("8bit");
        MimeEntity ascii = MimeEntity.parse("Content-Type: text/plain\r\n\r\nplain\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(written(SevenBit.entity(ascii))).isEqualTo("Content-Type: text/plain\r\n\r\nplain\r\n");
    }

    private static String written(Content content) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        content.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
