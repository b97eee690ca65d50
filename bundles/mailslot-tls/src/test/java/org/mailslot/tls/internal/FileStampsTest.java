package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampsTest {

    @TempDir
    Path dir;

    @Test
    void sameBytesWrittenAgainAreNoChange() throws Exception {
        Path file = Files.writeString(dir.resolve("cert.pem"), "one");
        FileStamps stamps = new FileStamps();
        assertThat(stamps.read(file)).isEqualTo("one".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(file, "one");
        assertThat(stamps.changed()).isFalse();
    }

    @Test
    void otherBytesOfTheSameLengthAndTimeAreAChange() throws Exception {
        Path file = Files.writeString(dir.resolve("cert.pem"), "one");
        FileTime time = Files.getLastModifiedTime(file);
        FileStamps stamps = new FileStamps();
        stamps.read(file);
        Files.writeString(file, "two");
        Files.setLastModifiedTime(file, time);
        assertThat(stamps.changed()).isTrue();
    }

    @Test
    void aFileRemovedIsAChange() throws Exception {
        Path file = Files.writeString(dir.resolve("key.pem"), "key");
        FileStamps stamps = new FileStamps();
        stamps.read(file);
        Files.delete(file);
        assertThat(stamps.changed()).isTrue();
    }

    @Test
    void aMissingFileIsNamedAndItsArrivalIsAChange() throws Exception {
        Path file = dir.resolve("later.pem");
        FileStamps stamps = new FileStamps();
        assertThatThrownBy(() -> stamps.read(file)).isInstanceOf(MaterialException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("file not found");
        assertThat(stamps.files()).containsExactly(file);
        assertThat(stamps.changed()).isFalse();
        Files.writeString(file, "now here");
        assertThat(stamps.changed()).isTrue();
    }
}
