package org.mailslot.queue.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyBufferTest {

    @TempDir
    Path directory;

    @Test
    void aSmallBodyStaysOnTheHeap() throws Exception {
        byte[] octets = octets(BodyBuffer.LARGE);
        try (BodyBuffer body = new BodyBuffer(directory.resolve("bodies"))) {
            body.write(octets, 0, octets.length);

            assertThat(read(body)).isEqualTo(octets);
            assertThat(body.size()).isEqualTo(octets.length);
            assertThat(directory.resolve("bodies")).doesNotExist();
        }
    }

    @Test
    void aLargeBodyGoesToAnOwnerOnlyFileThatCloseRemoves() throws Exception {
        byte[] octets = octets(3 * BodyBuffer.LARGE + 17);
        Path bodies = directory.resolve("bodies");
        BodyBuffer body = new BodyBuffer(bodies);
        for (int offset = 0; offset < octets.length; offset += 1000) {
            body.write(octets, offset, Math.min(1000, octets.length - offset));
        }

        assertThat(read(body)).isEqualTo(octets);
        assertThat(read(body)).as("read again").isEqualTo(octets);
        Path file;
        try (Stream<Path> files = Files.list(bodies)) {
            file = files.findFirst().orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        body.close();

        assertThat(file).doesNotExist();
    }

    @Test
    void whatASourceReadsStaysAsItWasWhenTheBodyGrows() throws Exception {
        byte[] octets = octets(BodyBuffer.LARGE + 1);
        try (BodyBuffer body = new BodyBuffer(directory.resolve("bodies"))) {
            body.write(octets, 0, 1000);
            var first = body.source();
            body.write(octets, 1000, 1000);
            var second = body.source();

            body.write(octets, 2000, octets.length - 2000);

            assertThat(read(first)).isEqualTo(Arrays.copyOf(octets, 1000));
            assertThat(read(second)).isEqualTo(Arrays.copyOf(octets, 2000));
            assertThat(read(body)).isEqualTo(octets);
        }
    }

    private static byte[] read(org.mailslot.api.mail.MessageSource source) throws Exception {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    private static byte[] read(BodyBuffer body) throws Exception {
        try (InputStream in = body.source().open()) {
            return in.readAllBytes();
        }
    }

    private static byte[] octets(int size) {
        byte[] octets = new byte[size];
        Arrays.fill(octets, (byte) 'x');
        for (int i = 0; i < size; i += 101) {
            octets[i] = (byte) ('a' + i % 26);
        }
        return octets;
    }
}
