package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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

    @Test
    void randomBodiesHashAsTheRulesOfSection34SayInAnyPieces() throws Exception {
        byte[] specials = bytes("ab  \t\r\n\r\n\u0080.");
        // Mostly words and single spaces: the long runs of content ordinary text has.
        byte[] text = bytes("abcdefghijklmnopqrstuvwxyz \u00ff abcdefghijklmnopqrstuvwxyz \t\r\n");
        Random random = new Random(18);
        for (int round = 0; round < 6000; round++) {
            byte[] alphabet = round % 2 == 0 ? specials : text;
            byte[] body = new byte[random.nextInt(round % 4 < 2 ? 60 : 400)];
            for (int i = 0; i < body.length; i++) {
                body[i] = alphabet[random.nextInt(alphabet.length)];
            }
            for (Canonicalization c : Canonicalization.values()) {
                byte[] expected = canonicalBody(c, body);
                long limit = random.nextBoolean() ? Long.MAX_VALUE : random.nextInt(expected.length + 1);
                BodyHasher hasher = new BodyHasher(c, limit);
                for (int at = 0; at < body.length;) {
                    int piece = Math.min(1 + random.nextInt(round % 3 == 0 ? 8 : 100), body.length - at);
                    hasher.update(body, at, piece);
                    at += piece;
                }
                byte[] hashed = limit == Long.MAX_VALUE ? expected : Arrays.copyOf(expected, (int) limit);
                assertThat(hasher.finish()).as(c + " " + new String(body, StandardCharsets.ISO_8859_1).replace("\r", "\\r")
                        .replace("\n", "\\n").replace("\t", "\\t") + " l=" + limit)
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(hashed));
            }
        }
    }

    /** The body rules written line by line, as sections 3.4.3 and 3.4.4 state them. */
    private static byte[] canonicalBody(Canonicalization c, byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                lines.add(Arrays.copyOfRange(body, start, i));
                start = i + 2;
                i++;
            }
        }
        if (start < body.length) {
            lines.add(Arrays.copyOfRange(body, start, body.length));
        }
        if (c == Canonicalization.RELAXED) {
            lines.replaceAll(CanonicalizationTest::relaxedLine);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).length == 0) {
            lines.remove(lines.size() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.writeBytes(bytes("\r\n"));
        }
        if (lines.isEmpty() && c == Canonicalization.SIMPLE) {
            out.writeBytes(bytes("\r\n"));
        }
        return out.toByteArray();
    }

    private static byte[] relaxedLine(byte[] line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean space = false;
        for (byte b : line) {
            if (b == ' ' || b == '\t') {
                space = true;
            } else {
                if (space) {
                    out.write(' ');
                    space = false;
                }
                out.write(b);
            }
        }
        return out.toByteArray();
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
