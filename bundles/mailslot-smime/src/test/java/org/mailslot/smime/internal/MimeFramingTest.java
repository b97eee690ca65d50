package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.support.mail.Crlf;

class MimeFramingTest {

    @Test
    void contentTypeParametersAreCaseInsensitiveQuotedAndCommented() {
        ContentType type = ContentType.parse("Multipart/Signed; (comment) Protocol=\"application/pkcs7-signature\";\r\n micalg=SHA-256;"
                + " boundary=\"a;b\\\"c\"");
        assertThat(type.is("multipart/signed")).isTrue();
        assertThat(type.parameter("protocol")).isEqualTo("application/pkcs7-signature");
        assertThat(type.parameter("boundary")).isEqualTo("a;b\"c");
        assertThat(ContentType.parse("garbage")).isEqualTo(ContentType.DEFAULT);
    }

    @Test
    void lineEndingsBecomeCrlfAndCanonicalInputIsNotCopied() {
        byte[] canonical = "a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crlf.canonical(canonical)).isSameAs(canonical);
        assertThat(new String(Crlf.canonical("a\nb\rc\r\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test
    void multipartPartsExcludeTheCrlfBeforeTheNextDelimiter() {
        byte[] message = ("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\nX: 1\r\n\r\none\r\n"
                + "--b  \r\n\r\ntwo\r\n--b--\r\nepilogue\r\n").getBytes(StandardCharsets.US_ASCII);
        MimeEntity entity = MimeEntity.parse(message);
        List<MimeEntity.Range> parts = entity.multipartParts("b");
        assertThat(parts).hasSize(2);
        assertThat(new String(message, parts.get(0).from(), parts.get(0).length(), StandardCharsets.US_ASCII)).isEqualTo("X: 1\r\n\r\none");
        assertThat(new String(message, parts.get(1).from(), parts.get(1).length(), StandardCharsets.US_ASCII)).isEqualTo("\r\ntwo");
    }

    @Test
    void aMultipartWithoutCloseDelimiterIsRefused() {
        MimeEntity entity = MimeEntity.parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> entity.multipartParts("b")).hasMessageContaining("close delimiter");
    }

    @Test
    void messageFieldsAndContentFieldsAreSeparated() {
        MimeEntity entity = MimeEntity.parse(("From: a@example.org\r\nSubject: folded\r\n  line\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(entity.messageFields(), StandardCharsets.US_ASCII)).isEqualTo("From: a@example.org\r\nSubject: folded\r\n  line\r\n");
        assertThat(entity.header("subject")).isEqualTo("folded  line");
        assertThat(new String(entity.bodyCopy(), StandardCharsets.US_ASCII)).isEqualTo("body");
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
