package org.mailslot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A benchmark's figures by key over its repetitions: medians, and table cells that show every run. */
final class Results {

    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    void record(String key, double value) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** @return the median in bold, each run's value in brackets */
    String cell(String key) {
        StringBuilder runs = new StringBuilder();
        for (double r : values.getOrDefault(key, List.of())) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", r));
        }
        return String.format(Locale.ROOT, "**%.0f** (%s)", median(key), runs);
    }

    double median(String key) {
        return RelayBenchmark.median(values.get(key));
    }

    /** @return the machine's load average, printed beside each measurement */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
