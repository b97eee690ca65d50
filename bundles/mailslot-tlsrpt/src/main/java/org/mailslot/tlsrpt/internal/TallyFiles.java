package org.mailslot.tlsrpt.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsResultType;

/**
 * The tallies on disk: {@code DAY.tally} per UTC day, replaced whole (written beside, forced to disk,
 * renamed over), and {@code DAY.sent} once the day's reports went out. One line per count, its fields
 * URL-encoded and separated by a space:
 *
 * <pre>
 * success COUNT POLICY-TYPE DOMAIN STRINGS MX
 * failure COUNT POLICY-TYPE DOMAIN STRINGS MX RESULT-TYPE SENDING-IP RECEIVING-MX RECEIVING-IP REASON
 * </pre>
 *
 * where STRINGS and MX are lists, their encoded items separated by commas.
 */
final class TallyFiles {

    private static final String TALLY = ".tally";
    private static final String SENT = ".sent";

    private final Path directory;

    /** @throws IOException if the directory cannot be made */
    TallyFiles(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    void save(LocalDate day, DayTally tally) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<DayTally.Policy, DayTally.Counts> entry : tally.snapshot().entrySet()) {
            DayTally.Policy policy = entry.getKey();
            String policyFields = encode(policy.type().keyword()) + " " + encode(policy.domain()) + " "
                    + encode(policy.strings()) + " " + encode(policy.mx());
            if (entry.getValue().successes() > 0) {
                text.append("success ").append(entry.getValue().successes()).append(' ').append(policyFields).append('\n');
            }
            for (Map.Entry<DayTally.Failure, Long> failure : entry.getValue().failures().entrySet()) {
                DayTally.Failure f = failure.getKey();
                text.append("failure ").append(failure.getValue()).append(' ').append(policyFields).append(' ')
                        .append(encode(f.type().keyword())).append(' ').append(encode(f.sendingIp())).append(' ')
                        .append(encode(f.receivingMx())).append(' ').append(encode(f.receivingIp())).append(' ')
                        .append(encode(f.reason())).append('\n');
            }
        }
        Path target = tallyOf(day);
        Path temp = directory.resolve(day + TALLY + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @return the day's tally as saved, empty if none was
     * @throws IOException if it cannot be read, or a line is not one {@link #save} writes (naming the file and line)
     */
    Optional<DayTally> load(LocalDate day) throws IOException {
        Path file = tallyOf(day);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        DayTally tally = new DayTally();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                String[] f = line.split(" ", -1);
                boolean failure = f[0].equals("failure");
                if (!failure && !f[0].equals("success") || f.length != (failure ? 11 : 6)) {
                    throw new IllegalArgumentException("neither a success nor a failure line");
                }
                DayTally.Policy policy = new DayTally.Policy(TlsPolicyType.ofKeyword(decode(f[2])), decode(f[3]),
                        decodeList(f[4]), decodeList(f[5]));
                long count = Long.parseLong(f[1]);
                tally.add(policy, failure ? Optional.of(new DayTally.Failure(TlsResultType.ofKeyword(decode(f[6])),
                        decode(f[7]), decode(f[8]), decode(f[9]), decode(f[10]))) : Optional.empty(), count);
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a tally line (" + e.getMessage() + "): " + line, e);
            }
        }
        return Optional.of(tally);
    }

    /** @return the days with a tally on disk, oldest first */
    List<LocalDate> days() throws IOException {
        TreeSet<LocalDate> days = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + TALLY)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    days.add(LocalDate.parse(name.substring(0, name.length() - TALLY.length())));
                } catch (DateTimeParseException e) {
                    // Not ours.
                }
            }
        }
        return new ArrayList<>(days);
    }

    boolean sent(LocalDate day) {
        return Files.exists(directory.resolve(day + SENT));
    }

    void markSent(LocalDate day) throws IOException {
        Files.writeString(directory.resolve(day + SENT), "", StandardCharsets.UTF_8);
    }

    void delete(LocalDate day) throws IOException {
        Files.deleteIfExists(tallyOf(day));
        Files.deleteIfExists(directory.resolve(day + SENT));
    }

    private Path tallyOf(LocalDate day) {
        return directory.resolve(day + TALLY);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String encode(List<String> values) {
        return String.join(",", values.stream().map(TallyFiles::encode).toList());
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static List<String> decodeList(String value) {
        return value.isEmpty() ? List.of() : Arrays.stream(value.split(",", -1)).map(TallyFiles::decode).toList();
    }
}
