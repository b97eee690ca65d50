package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Collects one batch of fetched messages and makes it durable in the order exactly-once needs:
 * files forced in {@code tmp}, renamed into {@code new}, the directory forced, then the records
 * forced in the {@link StateStore}. Only after {@link #commit()} may the server be touched.
 */
final class MessageWriter {

    private final StateStore state;
    private final LocalMaildir maildir;
    private final Clock clock;
    private final SyncCounters counters;
    private final List<LocalMaildir.Written> files = new ArrayList<>();
    private final List<StateStore.Stored> records = new ArrayList<>();

    MessageWriter(StateStore state, LocalMaildir maildir, Clock clock, SyncCounters counters) {
        this.state = state;
        this.maildir = maildir;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * @param dedupAcrossValidity whether content already stored under another UIDVALIDITY is the
     *     same message (IMAP after a UIDVALIDITY change)
     */
    void add(StateStore.Key key, long validity, long uid, String fileName, byte[] bytes, int offset, int length,
            boolean dedupAcrossValidity) throws IOException {
        String sha = sha256(bytes, offset, length);
        if (dedupAcrossValidity && state.storedUnderOtherValidity(key.folder(), sha, validity)) {
            records.add(new StateStore.Stored(key, validity, uid, Optional.empty(), sha, clock.instant()));
            counters.duplicates.incrementAndGet();
            return;
        }
        files.add(maildir.write(fileName, bytes, offset, length));
        records.add(new StateStore.Stored(key, validity, uid, Optional.of(fileName), sha, clock.instant()));
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    /** The messages added since the last {@link #take()}, to commit. */
    record Batch(List<LocalMaildir.Written> files, List<StateStore.Stored> records) {
        boolean isEmpty() {
            return records.isEmpty();
        }
    }

    /** @return what was added so far, leaving the writer empty for the next batch */
    Batch take() {
        Batch batch = new Batch(List.copyOf(files), List.copyOf(records));
        files.clear();
        records.clear();
        return batch;
    }

    /** @return the keys made durable (new files and duplicates) */
    List<StateStore.Key> commit() throws IOException {
        return commit(take());
    }

    /** Publishes the files, then records them: @return the keys made durable */
    List<StateStore.Key> commit(Batch batch) throws IOException {
        maildir.publish(batch.files());
        state.recordStored(batch.records());
        counters.retrieved.addAndGet(batch.files().size());
        return batch.records().stream().map(StateStore.Stored::key).toList();
    }

    static String sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
