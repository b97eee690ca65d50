package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

/** RFC 6376 section 3.4.5's examples, and the body rules at every chunk boundary. */
class CanonicalizationTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerExamplesOfSection345() {
        byte[] a = bytes("A: X");
        byte[] b = bytes("B : Y\t\r\n\tZ  ");
        assertThat(new String(Canonicalization.RELAXED.header(a), StandardCharsets.ISO_8859_1)).isEqualTo("a:X\r\n");
        assertThat(new String(Canonicalization.RELAXED.header(b), StandardCharsets.ISO_8859_1)).isEqualTo("b:Y Z\r\n");
        assertThat(new String(Canonicalization.SIMPLE.header(b), StandardCharsets.ISO_8859_1))
                .isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    @Test
    void bodyExamplesOfSection345() throws Exception {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(hashInChunks(Canonicalization.RELAXED, body, body.length())).isEqualTo(sha256(" C\r\nD E\r\n"));
        assertThat(hashInChunks(Canonicalization.SIMPLE, body, body.length())).isEqualTo(sha256(" C \r\nD \t E\r\n"));
    }

    @Test
    void everyChunkBoundaryGivesTheSameHash() throws Exception {
        String body = "a  b\t \r\n\r\n \r\nline\rwith lone CR\r\n  \r\nlast without CRLF \t";
        for (Canonicalization c : Canonicalization.values()) {
            byte[] whole = hashInChunks(c, body, body.length());
            for (int chunk = 1; chunk < body.length(); chunk++) {
                assertThat(hashInChunks(c, body, chunk)).as(c + " in chunks of " + chunk).isEqualTo(whole);
            }
        }
        assertThat(hashInChunks(Canonicalization.RELAXED, body, body.length()))
                .isEqualTo(sha256("a b\r\n\r\n\r\nline\rwith lone CR\r\n\r\nlast without CRLF\r\n"));
        assertThat(hashInChunks(Canonicalization.SIMPLE, body, body.length()))
                .isEqualTo(sha256(body + "\r\n"));
    }

    @Test
    void anEmptyBodyIsOneCrlfForSimpleAndNothingForRelaxed() throws Exception {
        assertThat(hashInChunks(Canonicalization.SIMPLE, "", 1)).isEqualTo(sha256("\r\n"));
        assertThat(hashInChunks(Canonicalization.SIMPLE, "\r\n\r\n", 1)).isEqualTo(sha256("\r\n"));
        assertThat(hashInChunks(Canonicalization.RELAXED, "", 1)).isEqualTo(sha256(""));
        assertThat(hashInChunks(Canonicalization.RELAXED, " \r\n\t\r\n", 1)).isEqualTo(sha256(""));
    }

    @Test
    void theBodyLengthLimitCutsTheCanonicalBody() throws Exception {
        BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED, 3);
        byte[] body = bytes("ab  c\r\n");
        hasher.update(body, 0, body.length);
        assertThat(hasher.finish()).isEqualTo(sha256("ab "));
    }

    private static byte[] hashInChunks(Canonicalization c, String body, int chunk) {
        BodyHasher hasher = new BodyHasher(c);
        byte[] bytes = bytes(body);
        for (int at = 0; at < bytes.length; at += chunk) {
            hasher.update(bytes, at, Math.min(chunk, bytes.length - at));
        }
        return hasher.finish();
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes(text));
    }
}
