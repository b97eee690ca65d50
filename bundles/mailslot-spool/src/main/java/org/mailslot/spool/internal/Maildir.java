package org.mailslot.spool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.files.OwnerOnly;
import org.mailslot.support.net.LocalHostName;

/**
 * Local delivery into Maildirs, one per address under the mailbox root: the message is written
 * to {@code tmp/} under a unique name, fsync'd, renamed into {@code new/}, and {@code new/} is
 * fsync'd — only then is the recipient delivered. Deliveries into one Maildir at once share that
 * last fsync, which runs on a thread of its own ({@link DirectorySyncs}), so the writer need not
 * wait for it ({@link #write}); a mailbox's folders are created once.
 */
final class Maildir implements AutoCloseable {

    private static final String HOST = maildirSafe(LocalHostName.get());
    private static final long PID = ProcessHandle.current().pid();
    private static final int LARGE_BUFFER = 64 * 1024;

    private final Path root;
    private final SpoolIo io;
    private final Clock clock;
    private final AtomicLong deliveries = new AtomicLong();
    private final DirectorySyncs syncs;
    /** Mailboxes whose folders were created or found by this process. */
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();

    Maildir(Path root, SpoolIo io, Clock clock) {
        this.root = root;
        this.io = io;
        this.clock = clock;
        this.syncs = new DirectorySyncs(io);
    }

    /** @return the Maildir of an address: the address in lower case, unsafe characters %-encoded */
    Path mailbox(MailAddress address) {
        return root.resolve(folderName(address));
    }

    static String folderName(MailAddress address) {
        String name = (address.localPart() + "@" + address.normalizedDomain()).toLowerCase(Locale.ROOT);
        StringBuilder safe = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "@.-_+=".indexOf(c) >= 0;
            safe.append(plain ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
        return safe.toString();
    }

    /** @return the file the message was delivered to */
    Path deliver(MailAddress recipient, Optional<MailAddress> returnPath, MessageSource message) throws IOException {
        return deliver(recipient, returnPath, message, Long.MAX_VALUE).file();
    }

    /** A message in a mailbox: its file and its size in octets. */
    record Delivered(Path file, long octets) {
    }

    /**
     * A message written into a mailbox's {@code new/}, delivered once {@code synced} completes (an
     * fsync of {@code new/} after its rename); if that fails, it completes exceptionally with the
     * {@link IOException} (see {@link DirectorySyncs#failure}) and the message is not delivered.
     */
    record Written(Delivered delivered, CompletableFuture<Void> synced) {
    }

    /** The message would take the mailbox past its size limit; nothing was delivered. */
    static final class MailboxFull extends IOException {

        private static final long serialVersionUID = 1L;

        MailboxFull(String message) {
            super(message);
        }
    }

    /**
     * Delivers the message and waits for it to be durable.
     *
     * @param roomLeft octets the mailbox may still take
     * @throws MailboxFull if the message (with the trace lines added) is larger than {@code roomLeft}
     */
    Delivered deliver(MailAddress recipient, Optional<MailAddress> returnPath, MessageSource message, long roomLeft)
            throws IOException {
        Written written = write(recipient, returnPath, message, roomLeft);
        DirectorySyncs.await(written.synced());
        return written.delivered();
    }

    /**
     * Writes the message into the mailbox, fsync'd, and renames it into {@code new/}; its delivery
     * is durable once {@link Written#synced()} completes.
     *
     * @param roomLeft octets the mailbox may still take
     * @throws MailboxFull if the message (with the trace lines added) is larger than {@code roomLeft}
     */
    Written write(MailAddress recipient, Optional<MailAddress> returnPath, MessageSource message, long roomLeft)
            throws IOException {
        if (roomLeft <= 0) {
            throw new MailboxFull("the mailbox of " + recipient + " is full");
        }
        Path box = mailbox(recipient);
        Path fresh = box.resolve("new");
        Instant now = clock.instant();
        String unique = now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + PID + "Q" + deliveries.incrementAndGet()
                + "." + HOST;
        Path file = box.resolve("tmp").resolve(unique);
        long octets;
        try (SpoolIo.SpoolFile out = create(box, file)) {
            String trace = "Return-Path: <" + returnPath.map(MailAddress::toString).orElse("") + ">\r\n"
                    + "Delivered-To: " + recipient + "\r\n";
            byte[] traceBytes = trace.getBytes(StandardCharsets.UTF_8);
            write(out, traceBytes, traceBytes.length);
            octets = traceBytes.length;
            // Small first, as most messages are; a message that fills it gets the large one.
            byte[] buffer = new byte[8 * 1024];
            try (InputStream in = message.open()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    octets += n;
                    if (octets > roomLeft) {
                        throw new MailboxFull("the message would take the mailbox of " + recipient
                                + " past its size limit");
                    }
                    write(out, buffer, n);
                    if (n == buffer.length && buffer.length < LARGE_BUFFER) {
                        buffer = new byte[LARGE_BUFFER];
                    }
                }
            }
            out.force();
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        Path delivered = fresh.resolve(unique);
        try {
            io.move(file, delivered);
        } catch (NoSuchFileException removed) {
            ready.remove(box);
            Files.deleteIfExists(file);
            throw removed;
        }
        return new Written(new Delivered(delivered, octets), syncs.after(fresh));
    }

    /** Lets the fsyncs asked for end. */
    @Override
    public void close() {
        syncs.close();
    }

    /** Creates the file in the mailbox's {@code tmp/}, and the mailbox's folders first if this process has not yet. */
    private SpoolIo.SpoolFile create(Path box, Path file) throws IOException {
        if (ready.contains(box)) {
            try {
                return io.create(file);
            } catch (NoSuchFileException removed) {
                // Someone removed the mailbox or a folder of it since: made again, as for a new one.
                ready.remove(box);
            }
        }
        OwnerOnly.createDirectories(box.resolve("tmp"));
        OwnerOnly.createDirectories(box.resolve("new"));
        OwnerOnly.createDirectories(box.resolve("cur"));
        ready.add(box);
        return io.create(file);
    }

    private static void write(SpoolIo.SpoolFile out, byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Maildir names may not hold '/' or ':' (the info separator). */
    private static String maildirSafe(String host) {
        return host.replace("/", "\\057").replace(":", "\\072");
    }
}
