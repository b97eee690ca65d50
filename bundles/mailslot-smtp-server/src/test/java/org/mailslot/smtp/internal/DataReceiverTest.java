package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DATA receiver against a reference written the simplest way (the whole stream at once, with
 * {@code indexOf}, split and join): random streams, cut into random pieces at random offsets of
 * larger arrays, must give the same end of data, the same content and the same verdict.
 */
class DataReceiverTest {

    private static final byte[] END = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What a message is, said plainly: the reference the receiver is held to. */
    record Reference(int consumed, byte[] content, DataReceiver.Verdict verdict) {

        static Reference of(byte[] stream, long maxSize) {
            // DATA starts at the start of a line: as if a CRLF came before the first octet.
            byte[] framed = concat("\r\n".getBytes(StandardCharsets.US_ASCII), stream);
            int end = indexOf(framed, END);
            if (end < 0) {
                throw new IllegalArgumentException("no end of data");
            }
            // The content is everything before the final dot, with the CRLF that ends its last line.
            byte[] raw = Arrays.copyOfRange(framed, 2, end + 2);
            boolean bare = false;
            for (int i = 0; i < raw.length; i++) {
                boolean crWithoutLf = raw[i] == '\r' && (i + 1 == raw.length || raw[i + 1] != '\n');
                boolean lfWithoutCr = raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r');
                bare |= crWithoutLf || lfWithoutCr;
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            if (!bare && !text.isEmpty()) {
                for (String line : text.substring(0, text.length() - 2).split("\r\n", -1)) {
                    content.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
                    content.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            DataReceiver.Verdict verdict = bare ? DataReceiver.Verdict.BARE_LINE_ENDING
                    : content.size() > maxSize ? DataReceiver.Verdict.TOO_LARGE : DataReceiver.Verdict.COMPLETE;
            return new Reference(end + END.length - 2, content.toByteArray(), verdict);
        }
    }

    /** What the receiver made of a stream fed in pieces. */
    record Received(int consumed, byte[] content, DataReceiver.Verdict verdict, long size) {
    }

    @Test
    void randomStreamsInRandomPiecesAgreeWithTheReference() {
        Random random = new Random(5321);
        // Octets that matter to DATA, often; the rest now and then; long ordinary lines for the word scan.
        String[] atoms = {".", ".", "\r\n", "\r\n", "\r\n", "\r", "\n", "a", "xyz", "\r\n.", "\r\n..", "\r\n.\r",
            "0123456789abcdef0123456789", "\u00e9", "\t", "."};
        int bare = 0;
        int complete = 0;
        int tooLarge = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(random.nextBoolean() ? 12 : 120); n > 0; n--) {
                text.append(atoms[random.nextInt(atoms.length)]);
            }
            // Always an end somewhere, and octets after it: pipelined commands that are not the message's.
            text.append("\r\n.\r\n").append(random.nextBoolean() ? "QUIT\r\n" : "");
            byte[] stream = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            long maxSize = random.nextInt(3) == 0 ? random.nextInt(60) : Long.MAX_VALUE;
            Reference expected = Reference.of(stream, maxSize);
            Received actual = receive(stream, maxSize, random);
            assertThat(actual.consumed()).as(escaped(stream)).isEqualTo(expected.consumed());
            assertThat(actual.verdict()).as(escaped(stream)).isEqualTo(expected.verdict());
            if (expected.verdict() != DataReceiver.Verdict.BARE_LINE_ENDING) {
                assertThat(actual.content()).as(escaped(stream)).isEqualTo(expected.content());
                assertThat(actual.size()).isEqualTo(expected.content().length);
            }
            switch (expected.verdict()) {
                case BARE_LINE_ENDING -> bare++;
                case TOO_LARGE -> tooLarge++;
                default -> complete++;
            }
        }
        // The generator reaches every outcome often.
        assertThat(bare).isGreaterThan(2000);
        assertThat(complete).isGreaterThan(2000);
        assertThat(tooLarge).isGreaterThan(200);
    }

    @Test
    void realisticMessagesWithLongLinesAgreeWithTheReference() {
        Random random = new Random(2920);
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder("Subject: r" + round + "\r\n\r\n");
            for (int line = random.nextInt(60); line > 0; line--) {
                int length = random.nextInt(200);
                StringBuilder content = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    content.append((char) (random.nextInt(10) == 0 ? '.' : 'A' + random.nextInt(26)));
                }
                String value = content.toString();
                text.append(value.startsWith(".") ? "." + value : value).append("\r\n");
            }
            text.append(".\r\nMAIL FROM:<a@b>\r\n");
            byte[] stream = text.toString().getBytes(StandardCharsets.US_ASCII);
            Reference expected = Reference.of(stream, Long.MAX_VALUE);
            Received actual = receive(stream, Long.MAX_VALUE, random);
            assertThat(actual.verdict()).isEqualTo(DataReceiver.Verdict.COMPLETE);
            assertThat(actual.consumed()).isEqualTo(expected.consumed());
            assertThat(new String(actual.content(), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(expected.content(), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r.\\r", "\\r\\n.\\r", "\\r.\\r\\n", "\\n.\\r"})
    void aDotBetweenBareLineEndingsDoesNotEndDataAndSpoilsTheMessage(String escaped) {
        String smuggled = escaped.replace("\\r", "\r").replace("\\n", "\n");
        byte[] stream = ("hello" + smuggled + "MAIL FROM:<ceo@example.test>\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
        Received received = receive(stream, Long.MAX_VALUE, new Random(1));
        assertThat(received.consumed()).isEqualTo(stream.length);
        assertThat(received.verdict()).isEqualTo(DataReceiver.Verdict.BARE_LINE_ENDING);
    }

    @Test
    void anEmptyMessageIsJustTheDot() {
        byte[] stream = ".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        Received received = receive(stream, 0, new Random(2));
        assertThat(received.consumed()).isEqualTo(3);
        assertThat(received.content()).isEmpty();
        assertThat(received.verdict()).isEqualTo(DataReceiver.Verdict.COMPLETE);
    }

    @Test
    void aMessageOfExactlyTheLimitIsTakenAndOneOctetMoreIsNot() {
        byte[] stream = "..abc\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        // ".abc\r\n": six octets once the stuffed dot is gone.
        assertThat(receive(stream, 6, new Random(3)).verdict()).isEqualTo(DataReceiver.Verdict.COMPLETE);
        assertThat(receive(stream, 5, new Random(3)).verdict()).isEqualTo(DataReceiver.Verdict.TOO_LARGE);
    }

    /** Feeds the stream in random pieces, each copied to a random offset of a larger array, until the end of data. */
    private static Received receive(byte[] stream, long maxSize, Random random) {
        DataReceiver receiver = new DataReceiver(maxSize);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int at = 0;
        while (at < stream.length && !receiver.ended()) {
            int length = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 3 : 64));
            int offset = random.nextInt(9);
            byte[] in = new byte[offset + length + random.nextInt(9)];
            Arrays.fill(in, (byte) '.');
            System.arraycopy(stream, at, in, offset, length);
            int outAt = random.nextInt(5);
            byte[] out = new byte[outAt + DataReceiver.room(length)];
            int written = receiver.receive(in, offset, offset + length, out, outAt);
            assertThat(receiver.consumedTo()).isBetween(offset, offset + length);
            if (!receiver.ended()) {
                assertThat(receiver.consumedTo()).isEqualTo(offset + length);
            }
            content.write(out, outAt, written - outAt);
            at += receiver.consumedTo() - offset;
        }
        assertThat(receiver.ended()).isTrue();
        return new Received(at, content.toByteArray(), receiver.verdict(), receiver.size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String escaped(byte[] stream) {
        return new String(stream, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
