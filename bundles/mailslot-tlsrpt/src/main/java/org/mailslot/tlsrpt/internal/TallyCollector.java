package org.mailslot.tlsrpt.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.mailslot.api.tlsrpt.TlsResults;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each session into its UTC day's {@link DayTally} in memory, and writes the days that changed to
 * {@link TallyFiles} when {@link #flush()} is called (every few seconds, and when the component stops),
 * so that a restart finds every session counted before the last flush. Days on disk are loaded when it
 * starts. {@link #record} does no I/O.
 */
final class TallyCollector implements TlsResults {

    private static final Logger LOG = LoggerFactory.getLogger(TallyCollector.class);

    private final TallyFiles files;
    private final Map<LocalDate, DayTally> days = new ConcurrentHashMap<>();
    private final Set<LocalDate> changed = ConcurrentHashMap.newKeySet();

    TallyCollector(TallyFiles files) {
        this.files = files;
        try {
            for (LocalDate day : files.days()) {
                load(day).ifPresent(tally -> days.put(day, tally));
            }
        } catch (IOException e) {
            LOG.warn("TLS reports: the tallies in {} cannot be listed: {}", files.directory(), ErrorText.of(e));
        }
    }

    /** A tally that cannot be read is moved aside, never written over: an operator may mend it. */
    private Optional<DayTally> load(LocalDate day) {
        try {
            return files.load(day);
        } catch (IOException e) {
            Path aside = files.directory().resolve(day + ".tally.unreadable-" + System.currentTimeMillis());
            LOG.error("TLS reports: {}; moved to {}, the day is counted anew", ErrorText.of(e), aside);
            try {
                Files.move(files.directory().resolve(day + ".tally"), aside);
            } catch (IOException moving) {
                LOG.error("TLS reports: cannot move it aside: {}", ErrorText.of(moving));
            }
            return Optional.empty();
        }
    }

    @Override
    public void record(TlsSessionResult result) {
        try {
            LocalDate day = LocalDate.ofInstant(result.at(), ZoneOffset.UTC);
            days.computeIfAbsent(day, d -> new DayTally()).add(result);
            changed.add(day);
        } catch (RuntimeException e) {
            LOG.warn("TLS reports: a session of {} was not counted: {}", result.policyDomain(), ErrorText.of(e));
        }
    }

    /** Writes the days counted into since the last flush. */
    void flush() {
        for (LocalDate day : Set.copyOf(changed)) {
            changed.remove(day);
            DayTally tally = days.get(day);
            if (tally == null) {
                continue;
            }
            try {
                files.save(day, tally);
            } catch (IOException e) {
                changed.add(day);
                LOG.warn("TLS reports: the tally of {} cannot be written to {} (kept in memory, tried again): {}", day,
                        files.directory(), ErrorText.of(e));
            }
        }
    }

    /** @return the day's tally, empty if nothing was counted that day */
    Optional<DayTally> tally(LocalDate day) {
        return Optional.ofNullable(days.get(day));
    }

    /** @return the days counted, from memory and disk */
    Set<LocalDate> days() {
        return Set.copyOf(days.keySet());
    }

    boolean sent(LocalDate day) {
        return files.sent(day);
    }

    void markSent(LocalDate day) throws IOException {
        flush();
        files.markSent(day);
    }

    /** Forgets a day, in memory and on disk. */
    void forget(LocalDate day) throws IOException {
        days.remove(day);
        changed.remove(day);
        files.delete(day);
    }
}
