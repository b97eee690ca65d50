package org.mailslot.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A message's history as the mail log tells it ({@code data/log/mail.log} and its rolled-over
 * {@code mail.log.N}): every line that names its queue id, oldest first. The spool keeps only each
 * recipient's last reply; the log keeps every attempt.
 */
final class MailLogHistory {

    private static final Pattern ROLLED = Pattern.compile("mail\\.log\\.(\\d+)");

    private final Path directory;

    MailLogHistory(Path directory) {
        this.directory = directory;
    }

    /** @return the history in Karaf's log directory, {@code ${karaf.log}} */
    static MailLogHistory ofKaraf() {
        String log = System.getProperty("karaf.log");
        return new MailLogHistory(log != null ? Path.of(log) : Path.of(System.getProperty("karaf.data", "data"), "log"));
    }

    Path file() {
        return directory.resolve("mail.log");
    }

    /**
     * @param id the message's queue id
     * @param since when the spool accepted it: a rolled-over file last written before cannot name it
     * @return the lines that name the id, oldest first
     */
    List<String> of(String id, Instant since) {
        Pattern named = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(id) + "(?![A-Za-z0-9])");
        List<String> lines = new ArrayList<>();
        for (Path file : files(since)) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (named.matcher(line).find()) {
                        lines.add(line);
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // rolled over while we looked
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return lines;
    }

    /** @return the rolled-over files written since then, the oldest (highest number) first, then mail.log */
    private List<Path> files(Instant since) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> listed = Files.list(directory)) {
                listed.filter(file -> ROLLED.matcher(file.getFileName().toString()).matches())
                        .filter(file -> modifiedSince(file, since))
                        .sorted(Comparator.comparingLong(MailLogHistory::number).reversed())
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + directory, e);
            }
        }
        if (Files.isRegularFile(file())) {
            files.add(file());
        }
        return files;
    }

    private static boolean modifiedSince(Path file, Instant since) {
        try {
            return !Files.getLastModifiedTime(file).toInstant().isBefore(since);
        } catch (IOException e) {
            return false;
        }
    }

    private static long number(Path file) {
        Matcher matcher = ROLLED.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
