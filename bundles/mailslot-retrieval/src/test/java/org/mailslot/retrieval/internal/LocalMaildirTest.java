package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMaildirTest {

    @Test
    void retrievedMailAndItsStateAreTheOwnersAlone(@TempDir Path dir) throws Exception {
        Path account = Files.createDirectories(dir.resolve("retrieved/work"));
        Files.setPosixFilePermissions(account, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] message = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RetrievalThreads threads = new RetrievalThreads()) {
            LocalMaildir maildir = new LocalMaildir(account, threads.forces());
            maildir.publish(List.of(maildir.write("1.msg", message, 0, message.length)));
        }
        StateStore.open(account.resolve("state.log")).close();

        List<Path> everything;
        try (Stream<Path> walk = Files.walk(account)) {
            everything = walk.toList();
        }
        assertThat(everything).map(path -> account.relativize(path).toString()).contains("new/1.msg", "state.log");
        for (Path path : everything) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString())
                    .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
        }
    }
}
