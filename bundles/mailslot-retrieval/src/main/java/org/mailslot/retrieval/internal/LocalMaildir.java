package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import org.mailslot.support.files.OwnerOnly;

/**
 * The account's local Maildir ({@code tmp}, {@code new}, {@code cur}). A batch of messages is
 * written to {@code tmp}, the files forced to disk together (in parallel, so that the file system
 * journals them in one commit instead of one commit per file), then renamed into {@code new} and
 * the directory forced, so that a file in {@code new} is always whole. File names are derived from the message's identity on the
 * server, so fetching the same message again after a crash replaces the file instead of adding one.
 */
final class LocalMaildir {

    private final Path tmp;
    private final Path fresh;
    private final ExecutorService forcers;

    /** @param forcers where the files of a batch are forced, concurrently */
    LocalMaildir(Path root, ExecutorService forcers) throws IOException {
        this.forcers = forcers;
        OwnerOnly.directory(root);
        this.tmp = OwnerOnly.createDirectories(root.resolve("tmp"));
        this.fresh = OwnerOnly.createDirectories(root.resolve("new"));
        OwnerOnly.createDirectories(root.resolve("cur"));
        try (Stream<Path> leftovers = Files.list(tmp)) {
            for (Path file : leftovers.toList()) {
                Files.deleteIfExists(file); // never published, so never recorded: fetched again
            }
        }
    }

    /** A message written and forced in {@code tmp}, not yet visible. */
    record Written(String name, Path tmpFile) {
    }

    /** Writes a message to {@code tmp}; it is forced by {@link #publish}. */
    Written write(String name, byte[] bytes, int offset, int length) throws IOException {
        Path file = tmp.resolve(name);
        try (FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), OwnerOnly.fileAttributes())) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return new Written(name, file);
    }

    /**
     * Makes written messages visible in {@code new}, durably: every file forced, then renamed, then
     * the directory forced.
     */
    void publish(List<Written> written) throws IOException {
        if (written.isEmpty()) {
            return;
        }
        forceAll(written);
        for (Written w : written) {
            Files.move(w.tmpFile(), fresh.resolve(w.name()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(fresh);
    }

    private void forceAll(List<Written> written) throws IOException {
        List<java.util.concurrent.Future<?>> forced = new java.util.ArrayList<>(written.size());
        for (Written w : written) {
            forced.add(forcers.submit(() -> {
                try (FileChannel channel = FileChannel.open(w.tmpFile(), StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                return null;
            }));
        }
        IOException failure = null;
        for (java.util.concurrent.Future<?> f : forced) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new java.io.InterruptedIOException("interrupted while forcing messages to disk");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    Path file(String name) {
        return fresh.resolve(name);
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** @return a file name for a server identity: letters, digits and '-' kept, every other byte as =XX */
    static String fileName(String... parts) {
        StringBuilder name = new StringBuilder();
        for (String part : parts) {
            if (name.length() > 0) {
                name.append('.');
            }
            for (byte b : part.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                    name.append(c);
                } else {
                    name.append('=').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return name.toString();
    }
}
