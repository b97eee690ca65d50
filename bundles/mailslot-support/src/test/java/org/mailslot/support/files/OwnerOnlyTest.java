package org.mailslot.support.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

    @Test
    void createdDirectoriesAndTheirMissingParentsAreOwnerOnly(@TempDir Path root) throws Exception {
        Path nested = OwnerOnly.createDirectories(root.resolve("spool/queue"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void anExistingDirectoryOthersCouldReadIsMadeOwnerOnly(@TempDir Path root) throws Exception {
        Path mailboxes = Files.createDirectory(root.resolve("mailboxes"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(mailboxes, PosixFilePermissions.fromString("rwxrwxrwx"));

        OwnerOnly.directory(mailboxes);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mailboxes))).isEqualTo("rwx------");
    }

    @Test
    void aFileCreatedWithTheAttributesIsOwnerOnly(@TempDir Path root) throws Exception {
        Path file = root.resolve("message");
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.fileAttributes())) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aDirectoryThatCannotBeMadeOwnerOnlyIsNamedWithWhereItIsConfigured(@TempDir Path root) throws Exception {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OwnerOnly.directory(file, "org.mailslot.delivery spool.directory"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("org.mailslot.delivery spool.directory " + file + " cannot be made owner-only");
    }
}
