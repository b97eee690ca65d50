package org.mailslot.support.maillog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailslot.support.maillog.MailLogEvent.Removed;

class MailLogWriterTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void releaseTheSink() throws InterruptedException {
        release.countDown();
        for (Thread thread : started) {
            thread.join();
        }
    }

    @Test
    void theFirstLineIsWrittenAtOnceNotAfterTheLinger() {
        MailLogWriter writer = new MailLogWriter("test-mail-log", HOUR, HOUR, 100, this::record);

        writer.add(line(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> written().equals(List.of("1")));
    }

    @Test
    void anIdleWriterIsWokenByTheNextLine() {
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ZERO, HOUR, 100, this::record);
        for (int i = 1; i <= 50; i++) {
            writer.add(line(i));
            int expected = i;
            // Each line finds the writer idle (or about to be): without the wake-up it would wait for the hour.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> written().size() == expected);
        }
        assertThat(written()).isEqualTo(numbers(1, 50));
    }

    @Test
    void linesLoggedDuringAWriteGoOutTogetherInTheNextBatch() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ZERO, HOUR, 1000, batch -> {
            record(batch);
            writing.countDown();
            awaitRelease();
        });
        writer.add(line(1));
        writing.await();
        for (int i = 2; i <= 101; i++) {
            writer.add(line(i));
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> written().size() == 101);
        assertThat(batches).containsExactly(List.of("1"), numbers(2, 101));
    }

    @Test
    void aFullQueueMakesTheCallerWaitAndLosesNothing() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ZERO, HOUR, 2, batch -> {
            record(batch);
            writing.countDown();
            awaitRelease();
        });
        writer.add(line(1));
        writing.await();
        writer.add(line(2));
        writer.add(line(3));
        Thread caller = start(() -> writer.add(line(4)));

        await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.WAITING);
        assertThat(written()).containsExactly("1");
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> written().size() == 4);
        assertThat(written()).isEqualTo(numbers(1, 4));
    }

    @Test
    void manyThreadsUnderBackPressureLoseNoLineAndKeepEachThreadsOrder() throws Exception {
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ofMillis(1), HOUR, 64, this::record);
        int threads = 8;
        int each = 2000;
        for (int t = 0; t < threads; t++) {
            int first = t * each;
            start(() -> IntStream.range(first, first + each).forEach(i -> writer.add(line(i))));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> written().size() == threads * each);
        List<String> all = written();
        assertThat(all).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            int first = t * each;
            assertThat(all.stream().mapToInt(Integer::parseInt).filter(i -> i >= first && i < first + each).toArray())
                    .isSorted().hasSize(each);
        }
        assertThat(batches.size()).as("batches for %d lines", all.size()).isLessThan(all.size());
    }

    @Test
    void anIdleWriterEndsItsThreadAndTheNextLineStartsAnother() {
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ZERO, Duration.ofMillis(20), 100, this::record);
        writer.add(line(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> written().size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !writer.running());

        writer.add(line(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> written().equals(List.of("1", "2")));
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheWriter() {
        List<String> seen = new CopyOnWriteArrayList<>();
        MailLogWriter writer = new MailLogWriter("test-mail-log", Duration.ZERO, HOUR, 100, batch -> {
            batch.forEach(event -> seen.add(event.queueId()));
            if (seen.size() == 1) {
                throw new IllegalStateException("appender failed");
            }
        });
        writer.add(line(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);

        writer.add(line(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen.equals(List.of("1", "2")));
    }

    @Test
    void flushWaitsUntilEveryLineAddedBeforeIsThroughTheSink() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        MailLogWriter writer = new MailLogWriter("test-mail-log", HOUR, HOUR, 100, batch -> {
            record(batch);
            writing.countDown();
            awaitRelease();
        });
        assertThat(writer.flush(Duration.ZERO)).as("nothing added yet").isTrue();
        writer.add(line(1));
        writing.await();
        writer.add(line(2));
        assertThat(writer.flush(Duration.ofMillis(1))).as("the first batch is still being written").isFalse();
        List<Boolean> flushed = new CopyOnWriteArrayList<>();
        Thread stopping = start(() -> {
            try {
                flushed.add(writer.flush(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> stopping.getState() == Thread.State.TIMED_WAITING);
        assertThat(flushed).isEmpty();
        release.countDown();

        stopping.join();
        assertThat(flushed).containsExactly(true);
        assertThat(written()).containsExactly("1", "2");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new MailLogWriter("test-mail-log", HOUR, HOUR, 0, this::record))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    private void record(List<MailLogEvent> batch) {
        batches.add(batch.stream().map(MailLogEvent::queueId).toList());
    }

    private List<String> written() {
        return batches.stream().flatMap(List::stream).toList();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread start(Runnable task) {
        Thread thread = new Thread(task, "test-caller");
        started.add(thread);
        thread.start();
        return thread;
    }

    private static MailLogEvent line(int number) {
        return new Removed(String.valueOf(number));
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(String::valueOf).toList();
    }
}
