package org.mailslot.spool.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The size of each local Maildir ({@code new/} and {@code cur/}), measured by a delivery worker and
 * kept in memory, so that an SMTP listener's RCPT can say "mailbox full" without touching the disk.
 * A measurement older than {@code staleAfter} is taken again at the next delivery: mail a reader
 * deleted counts until then. Thread-safe.
 */
final class MailboxSizes {

    private record Size(long octets, long measuredAt) {
    }

    private final Map<Path, Size> sizes = new ConcurrentHashMap<>();
    private final long staleAfterNanos;

    MailboxSizes(Duration staleAfter) {
        this.staleAfterNanos = staleAfter.toNanos();
    }

    /** @return the size last measured (with what was delivered since), if it was measured */
    OptionalLong cached(Path mailbox) {
        Size size = sizes.get(mailbox);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size.octets());
    }

    /** @return the mailbox's size, measured again if unknown or stale; 0 for a mailbox not made yet */
    long current(Path mailbox) throws IOException {
        Size size = sizes.get(mailbox);
        long now = System.nanoTime();
        if (size != null && now - size.measuredAt() < staleAfterNanos) {
            return size.octets();
        }
        long octets = measure(mailbox.resolve("new")) + measure(mailbox.resolve("cur"));
        sizes.put(mailbox, new Size(octets, now));
        return octets;
    }

    /** A message of {@code octets} was delivered into the mailbox. */
    void added(Path mailbox, long octets) {
        sizes.computeIfPresent(mailbox, (box, size) -> new Size(size.octets() + octets, size.measuredAt()));
    }

    private static long measure(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (NoSuchFileException gone) {
                    return 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
