package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.spool.internal.Fixtures.envelope;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.mailslot.api.queue.DeliveryState;

class DueQueueTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final DueQueue queue = new DueQueue();

    @Test
    void givesOutWhatIsDueFirstDueFirstAndNothingBeforeItsTime() {
        SpoolEntry later = entry("B", T0.plusSeconds(60));
        SpoolEntry sooner = entry("A", T0.plusSeconds(30));
        SpoolEntry now = entry("C", T0);
        queue.put(later);
        queue.put(sooner);
        queue.put(now);

        assertThat(queue.takeDue(T0)).contains(now);
        assertThat(queue.takeDue(T0)).isEmpty();
        assertThat(queue.anyDue(T0.plusSeconds(29))).isFalse();
        assertThat(queue.takeDue(T0.plusSeconds(90))).contains(sooner);
        assertThat(queue.takeDue(T0.plusSeconds(90))).contains(later);
        assertThat(queue.size()).isZero();
    }

    @Test
    void puttingAnEntryAgainMovesItInsteadOfAddingIt() {
        SpoolEntry entry = entry("A", T0.plusSeconds(300));
        queue.put(entry);
        entry.dueNow(T0);
        queue.put(entry);

        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.takeDue(T0)).contains(entry);
        assertThat(queue.takeDue(T0.plusSeconds(600))).isEmpty();
    }

    @Test
    void entriesDueAtTheSameTimeGoInTheOrderTheyWereReceived() {
        SpoolEntry second = entry("B", T0);
        SpoolEntry first = new SpoolEntry("Z", envelope("a@example.org", "b@example.org"), T0.minusSeconds(1),
                Path.of("Z.msg"), 0, 0);
        schedule(first, T0);
        queue.put(second);
        queue.put(first);

        assertThat(queue.takeDue(T0)).contains(first);
        assertThat(queue.takeDue(T0)).contains(second);
    }

    private static SpoolEntry entry(String id, Instant due) {
        SpoolEntry entry = new SpoolEntry(id, envelope("a@example.org", "b@example.org"), T0, Path.of(id + ".msg"), 0, 0);
        schedule(entry, due);
        return entry;
    }

    private static void schedule(SpoolEntry entry, Instant due) {
        DeliveryState state = entry.state();
        entry.apply(new DeliveryState(state.attempts(), due, state.waiting(), state.recipients()));
    }
}
