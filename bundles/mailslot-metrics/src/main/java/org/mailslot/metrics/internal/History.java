package org.mailslot.metrics.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The samples of the last hour the status page draws, oldest first. Thread-safe. */
final class History {

    static final Duration SPAN = Duration.ofHours(1);

    /**
     * @param at when
     * @param depth messages in the spool, or -1 when no spool ran
     * @param accepted messages accepted by every listener since they started
     * @param delivered recipients delivered since the metrics bundle started
     */
    record Sample(Instant at, int depth, long accepted, long delivered) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    synchronized void add(Sample sample) {
        samples.addLast(sample);
        Instant horizon = sample.at().minus(SPAN);
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(horizon)) {
            samples.removeFirst();
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }
}
