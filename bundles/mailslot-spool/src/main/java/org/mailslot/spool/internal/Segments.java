package org.mailslot.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.mailslot.support.files.OwnerOnly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small messages, kept as checksummed records appended to a shared segment file, so that one fsync
 * makes a whole group of them durable: a file of its own per message costs an fsync each (with a
 * create, a rename, an inode), and on a disk that serves ~2,500 fsyncs a second that is the
 * limit of a spool long before the processor is.
 *
 * <p>A record is a line {@code MAILSLOT-RECORD 1 <length> <crc32c>} and then {@code length} octets:
 * the envelope head ({@link EnvelopeCodec}) and the message. Records are only ever appended, by the
 * {@link GroupCommitter}'s thread, and a segment is never appended to again after a failed write
 * or after a restart, so a torn record can only be the last one, and it was never acknowledged. A
 * finished message's id is appended (without fsync) to {@code <segment>.done}; a crash that loses
 * that line only means the message is delivered again. A segment is deleted with its last message.
 *
 * <p>A group of small records is written over zeros the segment was filled with beforehand, a
 * megabyte at a time: forcing octets that overwrite blocks already allocated and durable needs no
 * journal commit (ext4: 0.2–0.4 ms an fsync here, against 0.7 for an append that grows the file),
 * and the zeros cost one sequential write per megabyte. Large groups are appended as they are: for
 * them the zeros would double what goes to the disk. Recovery takes the zeros for the end.
 */
final class Segments {

    static final String SUFFIX = ".seg";
    static final String DONE_SUFFIX = ".done";
    private static final String MAGIC = "MAILSLOT-RECORD 1 ";
    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** The record line as written: length and checksum at a fixed width, so that it can be reserved. */
    static final int RECORD_LINE = MAGIC.length() + 10 + 1 + 8 + 1;
    private static final long ROTATE_AT = 4L * 1024 * 1024;
    private static final int ZERO_FILL_BELOW = 64 * 1024;
    private static final int ZERO_STEP = 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    private static final Logger LOG = LoggerFactory.getLogger(Segments.class);

    /** Where a record's content landed. */
    record Location(Segment segment, long contentOffset) {
    }

    /** A record read back at start-up. */
    record Recovered(Segment segment, long contentOffset, byte[] content) {
    }

    /** One segment file: appended to while it is the current one, then only read and finished. */
    static final class Segment {

        private final Path file;
        private SpoolIo.SpoolFile out;
        private long length;
        /** Where the zeros written ahead of the records end (the file's size, when past {@link #length}). */
        private long zeroed;
        private boolean unfillable;
        private int live;
        private boolean visible;
        private boolean deleted;
        private FileChannel doneLog;

        private Segment(Path file, SpoolIo.SpoolFile out, long length, boolean visible) {
            this.file = file;
            this.out = out;
            this.length = length;
            this.visible = visible;
        }

        Path file() {
            return file;
        }

        /** Records a finished message; deletes the segment with its last one. */
        synchronized void finished(String id) {
            if (deleted) {
                return;
            }
            live--;
            if (live <= 0) {
                // The current one too: the next append starts a new segment.
                seal();
                return;
            }
            try {
                if (doneLog == null) {
                    doneLog = FileChannel.open(doneFile(file), java.util.Set.of(StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.APPEND), OwnerOnly.fileAttributes());
                }
                ByteBuffer line = ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII));
                while (line.hasRemaining()) {
                    doneLog.write(line);
                }
            } catch (IOException e) {
                // Only a duplicate after a crash: the message would be recovered and delivered again.
                LOG.warn("Could not record {} as finished in {}: {}", id, doneFile(file), e.toString());
            }
        }

        /** No more appends: after a failure, at a restart, or when it is full. */
        synchronized void seal() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    LOG.debug("Closing {}: {}", file, e.toString());
                }
                out = null;
            }
            if (live <= 0) {
                delete();
            }
        }

        private void delete() {
            deleted = true;
            try {
                if (doneLog != null) {
                    doneLog.close();
                }
                Files.deleteIfExists(file);
                Files.deleteIfExists(doneFile(file));
            } catch (IOException e) {
                LOG.warn("Could not delete the finished segment {}: {}", file, e.toString());
            }
        }
    }

    private final Path directory;
    private final SpoolIo io;
    private final AtomicLong sequence = new AtomicLong();
    /** Where the committer's thread gathers a group's records for one write each megabyte. */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(1024 * 1024);
    private Segment current;

    Segments(Path directory, SpoolIo io) {
        this.directory = directory;
        this.io = io;
    }

    static Path doneFile(Path segment) {
        return segment.resolveSibling(segment.getFileName() + DONE_SUFFIX);
    }

    /**
     * Frames one message's record in place: {@code buffer} holds {@link #RECORD_LINE} reserved
     * octets, then the content, up to {@code length}.
     *
     * @return the whole record, ready to append
     */
    static ByteBuffer frame(byte[] buffer, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, RECORD_LINE, length - RECORD_LINE);
        // "%s%010d %08x\n" of MAGIC, the length and the checksum, without a formatter on the listener's loop.
        System.arraycopy(MAGIC_BYTES, 0, buffer, 0, MAGIC_BYTES.length);
        int at = MAGIC_BYTES.length;
        long content = length - RECORD_LINE;
        for (int i = at + 9; i >= at; i--, content /= 10) {
            buffer[i] = (byte) ('0' + content % 10);
        }
        at += 10;
        buffer[at++] = ' ';
        long checksum = crc.getValue();
        for (int i = at + 7; i >= at; i--, checksum >>>= 4) {
            buffer[i] = (byte) Character.forDigit((int) (checksum & 0xF), 16);
        }
        buffer[at + 8] = '\n';
        return ByteBuffer.wrap(buffer, 0, length);
    }

    /**
     * Appends the records ({@link #frame framed}) and forces them to disk, in the committer's thread.
     *
     * @return where each record's content is, in order
     * @throws IOException if they are not durable; then the segment takes no more records
     */
    List<Location> append(List<ByteBuffer> records) throws IOException {
        while (true) {
            Segment segment = current();
            synchronized (segment) {
                if (segment.out != null) {
                    return append(segment, records);
                }
            }
            // Its last message finished between the two looks: current() starts another.
        }
    }

    private List<Location> append(Segment segment, List<ByteBuffer> records) throws IOException {
        List<Location> locations = new ArrayList<>(records.size());
        long offset = segment.length;
        for (ByteBuffer record : records) {
            locations.add(new Location(segment, offset + RECORD_LINE));
            offset += record.remaining();
        }
        try {
            long total = offset - segment.length;
            if (total < ZERO_FILL_BELOW && offset > segment.zeroed && !segment.unfillable) {
                try {
                    fillWithZeros(segment, offset);
                } catch (IOException e) {
                    // Only slower: a disk too full for the zeros may still hold the records.
                    segment.unfillable = true;
                    LOG.debug("Segment {}: no zeros written ahead: {}", segment.file, e.toString());
                }
            }
            long position = segment.length;
            for (ByteBuffer record : records) {
                ByteBuffer octets = record.duplicate();
                while (octets.hasRemaining()) {
                    if (!staging.hasRemaining()) {
                        position = writeStaged(segment, position);
                    }
                    int n = Math.min(octets.remaining(), staging.remaining());
                    staging.put(staging.position(), octets, octets.position(), n);
                    staging.position(staging.position() + n);
                    octets.position(octets.position() + n);
                }
            }
            writeStaged(segment, position);
            segment.out.force();
        } catch (IOException | RuntimeException e) {
            staging.clear();
            segment.seal();
            current = null;
            throw e;
        }
        segment.length = offset;
        segment.live += records.size();
        return locations;
    }

    /**
     * Writes what is staged at {@code position}.
     *
     * @return the position after it
     */
    private long writeStaged(Segment segment, long position) throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            int before = staging.position();
            segment.out.write(staging, position);
            position += staging.position() - before;
        }
        staging.clear();
        return position;
    }

    /** Fills the segment with zeros from where its content or zeros end to a step past {@code end}, durably. */
    private static void fillWithZeros(Segment segment, long end) throws IOException {
        long from = Math.max(segment.zeroed, segment.length);
        long to = Math.min(end + ZERO_STEP, Math.max(ROTATE_AT, end));
        for (long position = from; position < to; ) {
            ByteBuffer zeros = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), to - position));
            while (zeros.hasRemaining()) {
                int before = zeros.position();
                segment.out.write(zeros, position);
                position += zeros.position() - before;
            }
        }
        segment.out.force();
        segment.zeroed = to;
    }

    /** @return whether the current segment's name must still be made durable by a directory fsync */
    boolean needsDirectorySync() {
        Segment segment = current;
        return segment != null && !segment.visible;
    }

    /** The directory fsync that made the current segment's name durable succeeded. */
    void directorySynced() {
        Segment segment = current;
        if (segment != null) {
            segment.visible = true;
        }
    }

    /** The records just appended are not durable after all (the directory fsync failed). */
    void abandon(List<Location> appended) {
        for (Location location : appended) {
            synchronized (location.segment()) {
                location.segment().live--;
            }
        }
        if (!appended.isEmpty()) {
            appended.get(0).segment().seal();
            if (current == appended.get(0).segment()) {
                current = null;
            }
        }
    }

    private Segment current() throws IOException {
        Segment segment = current;
        if (segment != null) {
            synchronized (segment) {
                if (!segment.deleted && segment.out != null && segment.length < ROTATE_AT) {
                    return segment;
                }
            }
            segment.seal();
        }
        Path file = directory.resolve(String.format("%011X-%04X%s", System.currentTimeMillis(),
                sequence.getAndIncrement() & 0xFFFF, SUFFIX));
        current = new Segment(file, io.create(file), 0, false);
        return current;
    }

    /** Seals the current segment: the spool is closing. */
    void close() {
        Segment segment = current;
        current = null;
        if (segment != null) {
            segment.seal();
        }
    }

    /**
     * Reads a segment left by an earlier run: every whole record, finished or not. A damaged stretch
     * is skipped to the next record line, and said so. The segment takes no appends; call
     * {@link #keep} with how many of its records are still to be delivered.
     */
    List<Recovered> recover(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Segment segment = new Segment(file, null, all.length, true);
        List<Recovered> recovered = new ArrayList<>();
        int position = 0;
        int skipped = 0;
        while (position < all.length) {
            int next = readRecord(all, position);
            if (next < 0 && zerosFrom(all, position)) {
                // Filled ahead of the records: the end.
                break;
            }
            if (next < 0) {
                int resync = find(all, MAGIC_BYTES, position + 1);
                int end = resync < 0 ? all.length : resync;
                skipped += end - position;
                position = end;
                continue;
            }
            int lineEnd = indexOf(all, (byte) '\n', position) + 1;
            recovered.add(new Recovered(segment, lineEnd, java.util.Arrays.copyOfRange(all, lineEnd, next)));
            position = next;
        }
        if (skipped > 0) {
            LOG.warn("Segment {}: {} octets that are no whole record were skipped (a write a crash cut short,"
                    + " never acknowledged, or damage)", file, skipped);
        }
        if (recovered.isEmpty()) {
            segment.delete();
        }
        return recovered;
    }

    /** @return the ids recorded as finished in a segment left by an earlier run */
    static Set<String> finishedIn(Path segment) throws IOException {
        Set<String> done = new HashSet<>();
        Path doneFile = doneFile(segment);
        if (Files.exists(doneFile)) {
            for (String line : Files.readAllLines(doneFile, StandardCharsets.US_ASCII)) {
                done.add(line.strip());
            }
        }
        return done;
    }

    /** Keeps a recovered segment for the given number of unfinished messages; deletes it if none. */
    static void keep(Segment segment, int unfinished) {
        synchronized (segment) {
            segment.live = unfinished;
            if (unfinished <= 0) {
                segment.delete();
            }
        }
    }

    /** @return the offset after the record at {@code position}, or -1 if there is no whole, intact one */
    private static int readRecord(byte[] all, int position) {
        if (!startsWith(all, MAGIC_BYTES, position)) {
            return -1;
        }
        int lineEnd = indexOf(all, (byte) '\n', position);
        if (lineEnd < 0 || lineEnd - position > 64) {
            return -1;
        }
        String[] fields = new String(all, position + MAGIC_BYTES.length, lineEnd - position - MAGIC_BYTES.length,
                StandardCharsets.US_ASCII).split(" ");
        try {
            int length = Integer.parseInt(fields[0]);
            long crc = Long.parseLong(fields[1], 16);
            if (fields.length != 2 || length < 0 || length > all.length - lineEnd - 1) {
                return -1;
            }
            CRC32C check = new CRC32C();
            check.update(all, lineEnd + 1, length);
            return check.getValue() == crc ? lineEnd + 1 + length : -1;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static boolean zerosFrom(byte[] all, int position) {
        for (int i = position; i < all.length; i++) {
            if (all[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] all, byte[] prefix, int at) {
        if (at + prefix.length > all.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (all[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int find(byte[] all, byte[] what, int from) {
        for (int i = Math.max(0, from); i <= all.length - what.length; i++) {
            if (startsWith(all, what, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
