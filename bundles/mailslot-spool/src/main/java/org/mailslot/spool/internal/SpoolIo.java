package org.mailslot.spool.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.mailslot.support.files.OwnerOnly;

/**
 * The few file-system operations the spool's durability rests on, behind one seam so that tests
 * can fill the disk or count the fsyncs.
 */
interface SpoolIo {

    /**
     * A file being written; {@link #force()} makes its contents durable (its data and what reading
     * them needs, such as its size: {@code fdatasync}; the spool never relies on a file's times).
     */
    interface SpoolFile extends Closeable {

        /** Writes at the file's position, and moves it on. */
        void write(ByteBuffer buffer) throws IOException;

        /** Writes at {@code position}; the file's position does not move. */
        void write(ByteBuffer buffer, long position) throws IOException;

        void force() throws IOException;
    }

    /** Creates a new file; fails if it exists. */
    SpoolFile create(Path file) throws IOException;

    /** Makes the directory's entries (creations, renames) durable. */
    void syncDirectory(Path directory) throws IOException;

    /** Renames atomically, replacing the target. */
    void move(Path from, Path to) throws IOException;

    /**
     * Writes a small file as a whole: to a temporary name, then renamed over the target, so that a
     * reader sees the old content or the new, never a mixture.
     *
     * @param durable whether to fsync the content before the rename; without, a crash may leave the
     *     old content, or none
     */
    default void replace(Path file, byte[] content, boolean durable) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try (SpoolFile out = create(temporary)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (durable) {
                out.force();
            }
        }
        move(temporary, file);
    }

    /** How the real file system creates a file: never over an existing one. */
    java.util.Set<StandardOpenOption> CREATE_NEW_WRITE = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    /** The real file system; what it creates is owner-only. */
    SpoolIo SYSTEM = new SpoolIo() {
        @Override
        public SpoolFile create(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, CREATE_NEW_WRITE, OwnerOnly.fileAttributes());
            return new SpoolFile() {
                @Override
                public void write(ByteBuffer buffer) throws IOException {
                    channel.write(buffer);
                }

                @Override
                public void write(ByteBuffer buffer, long position) throws IOException {
                    channel.write(buffer, position);
                }

                @Override
                public void force() throws IOException {
                    channel.force(false);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    };
}
