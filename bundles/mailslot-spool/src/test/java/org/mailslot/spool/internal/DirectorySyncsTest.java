package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DirectorySyncsTest {

    private static final Path DIRECTORY = Path.of("/maildir/new");

    /** Counts events: a caller's arrival, an fsync's start and end, on one clock. */
    private final AtomicLong clock = new AtomicLong();

    /**
     * A directory fsync that notes when it ran; the first one is held until {@code together} callers have
     * come, so that they pile up behind it.
     */
    private final class SlowIo implements SpoolIo {
        final List<long[]> fsyncs = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failNext = new AtomicInteger();
        final CountDownLatch arrived;
        private final AtomicBoolean first = new AtomicBoolean(true);

        SlowIo(int together) {
            arrived = new CountDownLatch(together);
        }

        @Override
        public SpoolFile create(Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            long started = clock.incrementAndGet();
            if (first.getAndSet(false)) {
                try {
                    assertThat(arrived.await(30, TimeUnit.SECONDS)).as("callers came").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean fail = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            fsyncs.add(new long[] {started, clock.incrementAndGet()});
            if (fail) {
                throw new IOException("EIO");
            }
        }

        @Override
        public void move(Path from, Path to) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void everyCallerIsAnsweredByAnFsyncThatBeganAfterItCameAndCallersAtOnceShareThem() throws Exception {
        int callers = 200;
        int together = 16;
        SlowIo io = new SlowIo(together);
        DirectorySyncs syncs = new DirectorySyncs(io);
        ExecutorService threads = Executors.newFixedThreadPool(together);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(threads.submit(() -> {
                go.await();
                long came = clock.incrementAndGet();
                io.arrived.countDown();
                syncs.sync(DIRECTORY);
                return new long[] {came, clock.incrementAndGet()};
            }));
        }
        go.countDown();
        List<long[]> answered = new ArrayList<>();
        for (Future<long[]> call : calls) {
            answered.add(call.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        for (long[] call : answered) {
            assertThat(io.fsyncs).as("an fsync between the call at %d and its return at %d", call[0], call[1])
                    .anySatisfy(fsync -> assertThat(fsync[0] > call[0] && fsync[1] < call[1]).isTrue());
        }
        assertThat(io.fsyncs).as("shared").hasSizeLessThan(callers);
    }

    @Test
    void theCallersOfAFailedFsyncHearOfItAndLaterOnesGetAnFsyncOfTheirOwn() throws Exception {
        SlowIo io = new SlowIo(0);
        DirectorySyncs syncs = new DirectorySyncs(io);
        io.failNext.set(1);

        assertThatIOException().isThrownBy(() -> syncs.sync(DIRECTORY)).withMessageContaining("EIO")
                .withMessageContaining(DIRECTORY.toString());
        syncs.sync(DIRECTORY);

        assertThat(io.fsyncs).hasSize(2);
    }
}
