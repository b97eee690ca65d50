package org.mailslot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The processor time a server has used, read from Linux's {@code /proc}: the process and its live
 * descendants, user and system, plus what the children it already reaped used. A rate depends on
 * what else the machine runs; this does much less, so the two together say more than either.
 */
final class CpuTime {

    /** USER_HZ: the unit of {@code /proc/PID/stat}'s times on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;

    private CpuTime(long pid) {
        this.pid = pid;
    }

    static CpuTime of(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("no process to measure (pid " + pid + ")");
        }
        return new CpuTime(pid);
    }

    /** @return milliseconds of processor time used so far by the process and everything under it */
    long millis() {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " is gone"));
        long ticks = Stream.concat(Stream.of(root), root.descendants()).mapToLong(p -> ticks(p.pid())).sum();
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    private static long ticks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return 0;
        }
        // The command name, in parentheses, may hold spaces: count the fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14-17 of stat(5): utime, stime, cutime, cstime; here they start at index 11.
        long sum = 0;
        for (int i = 11; i <= 14; i++) {
            sum += Long.parseLong(fields[i]);
        }
        return sum;
    }
}
