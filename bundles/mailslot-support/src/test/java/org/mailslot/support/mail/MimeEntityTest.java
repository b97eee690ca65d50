package org.mailslot.support.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MimeEntityTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] octets, MimeEntity.Range range) {
        return new String(octets, range.from(), range.length(), StandardCharsets.UTF_8);
    }

    @Test
    void multipartPartsExcludeTheLineEndBeforeTheNextDelimiter() {
        byte[] message = ascii("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\nX: 1\r\n\r\none\r\n"
                + "--b  \r\n\r\ntwo\r\n--b--\r\nepilogue\r\n");
        List<MimeEntity.Range> parts = MimeEntity.parse(message).multipartParts();
        assertThat(parts).extracting(range -> text(message, range)).containsExactly("X: 1\r\n\r\none", "\r\ntwo");
    }

    @Test
    void aBoundaryWithACommentSplitsAtTheBoundaryAlone() {
        byte[] message = ascii("Content-Type: multipart/mixed; boundary=abc (c)\r\n\r\n--abc\r\n\r\none\r\n--abc--\r\n");
        assertThat(MimeEntity.parse(message).multipartParts()).extracting(range -> text(message, range))
                .containsExactly("\r\none");
    }

    @Test
    void bareLineFeedsAreLineEnds() {
        byte[] message = ascii("Content-Type: multipart/mixed; boundary=b\n\n--b\nA: 1\n\none\n--b--\n");
        MimeEntity entity = MimeEntity.parse(message);
        assertThat(entity.header("a")).isNull();
        assertThat(entity.multipartParts()).extracting(range -> text(message, range)).containsExactly("A: 1\n\none");
    }

    @Test
    void aLineThatOnlyStartsLikeADelimiterIsContent() {
        byte[] message = ascii("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n--bx\r\n--b--x\r\n--b--\r\n");
        assertThat(MimeEntity.parse(message).multipartParts()).extracting(range -> text(message, range))
                .containsExactly("\r\n--bx\r\n--b--x");
    }

    @Test
    void aMultipartWithoutCloseDelimiterOrBoundaryIsRefused() {
        MimeEntity open = MimeEntity.parse(ascii("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n"));
        assertThatThrownBy(open::multipartParts).hasMessageContaining("close delimiter");
        MimeEntity none = MimeEntity.parse(ascii("Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\none\r\n--b--\r\n"));
        assertThatThrownBy(none::multipartParts).hasMessageContaining("boundary");
    }

    @Test
    void fieldsKeepTheirOctetsAndUnfoldTheirValues() {
        MimeEntity entity = MimeEntity.parse(ascii("From: a@example.org\r\nSubject: folded\r\n  line\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain\r\n\r\nbody"));
        assertThat(new String(entity.messageFields(), StandardCharsets.US_ASCII))
                .isEqualTo("From: a@example.org\r\nSubject: folded\r\n  line\r\n");
        assertThat(new String(entity.contentFields(), StandardCharsets.US_ASCII))
                .isEqualTo("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n");
        assertThat(entity.header("subject")).isEqualTo("folded  line");
        assertThat(new String(entity.bodyCopy(), StandardCharsets.US_ASCII)).isEqualTo("body");
        assertThat(entity.strayLine()).isFalse();
    }

    @Test
    void aLineThatIsNoFieldEndsTheHeaderAndIsSaidSo() {
        MimeEntity entity = MimeEntity.parse(ascii("Subject: x\r\nnot a field\r\nmore\r\n"));
        assertThat(entity.strayLine()).isTrue();
        assertThat(entity.fields()).hasSize(1);
        assertThat(new String(entity.bodyCopy(), StandardCharsets.US_ASCII)).isEqualTo("not a field\r\nmore\r\n");
    }

    @Test
    void longBodiesAreSplitAtTheSameLinesAsShortOnes() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("line ").append("x".repeat(i % 17)).append("\r\n");
        }
        byte[] message = ascii("Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n" + body + "\r\n--q--\r\n");
        assertThat(MimeEntity.parse(message).multipartParts()).extracting(range -> text(message, range))
                .containsExactly(body.toString());
    }
}
