package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailslot.support.files.OwnerOnly;

/**
 * What an account has retrieved, recorded durably in an append-only log ({@code state.log}): one
 * line per message stored (folder, identity, UIDVALIDITY and UID, local file, SHA-256), per server
 * action done, per hand-off to a handler. Replayed on open; a torn last line (a crash mid-write)
 * is cut off.
 *
 * <p>Stored records are forced to disk before the caller touches the server. Hand-off records are
 * forced by group commit ({@link #forceTo}): one force covers every record appended before it
 * began, so handlers on several threads share forces; a lost one only repeats a hand-off (at
 * least once). Thread-safe.
 */
final class StateStore implements AutoCloseable {

    /** A message's identity: its folder and {@code UIDVALIDITY/UID} (IMAP) or UIDL (POP3). */
    record Key(String folder, String id) {
    }

    /**
     * A message recorded as retrieved.
     *
     * @param file the local file name, or empty for a duplicate found by content after a UIDVALIDITY change
     */
    record Stored(Key key, long validity, long uid, Optional<String> file, String sha256, Instant retrieved) {
    }

    private final Path path;
    private final FileChannel log;
    private final Map<Key, Stored> stored = new LinkedHashMap<>();
    private final Set<Key> actioned = new HashSet<>();
    private final Map<String, Set<Key>> handled = new HashMap<>();
    private final Map<String, Long> validity = new HashMap<>();
    private final Map<String, Long> highestUid = new HashMap<>();
    private final Map<String, Map<String, Set<Long>>> hashes = new HashMap<>(); // folder -> sha -> validities
    private long appended; // the log's length after the last append
    private long durable; // a length known to be on disk
    private boolean forcing;

    private StateStore(Path path, FileChannel log) {
        this.path = path;
        this.log = log;
    }

    static StateStore open(Path file) throws IOException {
        OwnerOnly.directory(file.getParent());
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OwnerOnly.fileAttributes());
        StateStore store = new StateStore(file, channel);
        try {
            store.replay();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return store;
    }

    private void replay() throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lineNumber++;
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                try {
                    apply(line.split("\t", -1));
                } catch (RuntimeException e) {
                    throw new IOException(path + " line " + lineNumber + " is damaged: " + line, e);
                }
                start = i + 1;
            }
        }
        // Anything after the last newline is a torn write: never acknowledged, so dropped.
        log.truncate(start);
        log.position(start);
        appended = start;
        durable = start;
    }

    private void apply(String[] f) {
        switch (f[0]) {
            case "S" -> {
                Key key = new Key(dec(f[1]), dec(f[2]));
                Stored s = new Stored(key, Long.parseLong(f[3]), Long.parseLong(f[4]),
                        f[5].isEmpty() ? Optional.empty() : Optional.of(dec(f[5])), f[6],
                        Instant.ofEpochMilli(Long.parseLong(f[7])));
                remember(s);
            }
            case "A" -> actioned.add(new Key(dec(f[1]), dec(f[2])));
            case "H" -> handled.computeIfAbsent(dec(f[1]), h -> new HashSet<>()).add(new Key(dec(f[2]), dec(f[3])));
            case "V" -> {
                validity.put(dec(f[1]), Long.parseLong(f[2]));
                highestUid.remove(dec(f[1]));
            }
            default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
    }

    private void remember(Stored s) {
        stored.put(s.key(), s);
        String folder = s.key().folder();
        if (validity.getOrDefault(folder, -1L) == s.validity()) {
            highestUid.merge(folder, s.uid(), Math::max);
        }
        hashes.computeIfAbsent(folder, f -> new HashMap<>()).computeIfAbsent(s.sha256(), h -> new HashSet<>())
                .add(s.validity());
    }

    /** Records stored messages and forces the log: call only after the files are published. */
    synchronized void recordStored(Collection<Stored> messages) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Stored s : messages) {
            lines.append("S\t").append(enc(s.key().folder())).append('\t').append(enc(s.key().id())).append('\t')
                    .append(s.validity()).append('\t').append(s.uid()).append('\t')
                    .append(s.file().map(StateStore::enc).orElse("")).append('\t').append(s.sha256()).append('\t')
                    .append(s.retrieved().toEpochMilli()).append('\n');
        }
        append(lines, true);
        messages.forEach(this::remember);
    }

    /** Records that the after-hand-off action was done on the server (idempotent if lost). */
    synchronized void recordActioned(Collection<Key> keys) throws IOException {
        StringBuilder lines = new StringBuilder();
        keys.forEach(k -> lines.append("A\t").append(enc(k.folder())).append('\t').append(enc(k.id())).append('\n'));
        append(lines, false);
        actioned.addAll(keys);
    }

    /**
     * Records a hand-off, not yet forced.
     *
     * @return the log position that {@link #forceTo} must reach for the record to be durable
     */
    synchronized long recordHandled(String handler, Key key) throws IOException {
        append(new StringBuilder("H\t").append(enc(handler)).append('\t').append(enc(key.folder())).append('\t')
                .append(enc(key.id())).append('\n'), false);
        handled.computeIfAbsent(handler, h -> new HashSet<>()).add(key);
        return appended;
    }

    /** Records a folder's (new) UIDVALIDITY, forced. */
    synchronized void recordValidity(String folder, long value) throws IOException {
        append(new StringBuilder("V\t").append(enc(folder)).append('\t').append(value).append('\n'), true);
        validity.put(folder, value);
        highestUid.remove(folder);
    }

    /** Forces everything recorded so far. */
    void force() throws IOException {
        long target;
        synchronized (this) {
            target = appended;
        }
        forceTo(target);
    }

    /**
     * Group commit: returns once the log is on disk up to {@code position}. A caller that finds a
     * force running waits for it and, if that did not cover it, leads the next one, outside the
     * lock so that others append meanwhile.
     */
    void forceTo(long position) throws IOException {
        long target;
        synchronized (this) {
            while (durable < position && forcing) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while forcing " + path);
                }
            }
            if (durable >= position) {
                return;
            }
            forcing = true;
            target = appended;
        }
        boolean done = false;
        try {
            log.force(false);
            done = true;
        } finally {
            synchronized (this) {
                forcing = false;
                if (done) {
                    durable = Math.max(durable, target);
                }
                notifyAll();
            }
        }
    }

    /** @return the length of the log known to be on disk */
    synchronized long durablePosition() {
        return durable;
    }

    /** @return whether every record appended so far is on disk */
    synchronized boolean allDurable() {
        return durable >= appended;
    }

    private void append(CharSequence lines, boolean force) throws IOException {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(lines.toString());
        while (buffer.hasRemaining()) {
            log.write(buffer);
        }
        appended = log.position();
        if (force) {
            log.force(false);
            durable = appended;
        }
    }

    synchronized Optional<Long> validity(String folder) {
        return Optional.ofNullable(validity.get(folder));
    }

    /** @return the highest UID stored under the folder's current UIDVALIDITY, 0 if none */
    synchronized long highestUid(String folder) {
        return highestUid.getOrDefault(folder, 0L);
    }

    synchronized boolean isStored(Key key) {
        return stored.containsKey(key);
    }

    /**
     * @return whether a message with this content was stored from the folder under another
     *     UIDVALIDITY: after a UIDVALIDITY change, that is the same message renumbered
     */
    synchronized boolean storedUnderOtherValidity(String folder, String sha256, long currentValidity) {
        Set<Long> validities = hashes.getOrDefault(folder, Map.of()).getOrDefault(sha256, Set.of());
        return validities.stream().anyMatch(v -> v != currentValidity);
    }

    synchronized boolean isActioned(Key key) {
        return actioned.contains(key);
    }

    /** @return stored messages of the folder whose server action is not recorded yet */
    synchronized List<Stored> notActioned(String folder) {
        List<Stored> result = new ArrayList<>();
        stored.values().stream().filter(s -> s.key().folder().equals(folder) && !actioned.contains(s.key()))
                .forEach(result::add);
        return result;
    }

    synchronized boolean isHandled(String handler, Key key) {
        return handled.getOrDefault(handler, Set.of()).contains(key);
    }

    /** @return messages with a local copy that some of {@code handlers} has not taken, oldest first */
    synchronized List<Stored> pending(Collection<String> handlers) {
        List<Stored> result = new ArrayList<>();
        for (Stored s : stored.values()) {
            if (s.file().isPresent() && handlers.stream().anyMatch(h -> !isHandled(h, s.key()))) {
                result.add(s);
            }
        }
        return result;
    }

    synchronized int storedCount() {
        return stored.size();
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String dec(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
