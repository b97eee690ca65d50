package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerPoolTest {

    private final HandlerPool pool = new HandlerPool(1, 1, RetrievalThreads.named("handler"));
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
    }

    @Test
    void aHungCallWrittenOffIsReplacedSoTheOtherLanesGoOn() {
        pool.execute(hung("hung"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("hung"));
        pool.writeOff();
        pool.execute(() -> ran.add("other lane"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("other lane"));
    }

    @Test
    void atTheCapTheOtherLanesWaitForACallToReturn() {
        pool.execute(hung("first"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("first"));
        pool.writeOff();
        pool.execute(hung("second")); // on the replacement thread
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("second"));
        pool.writeOff(); // beyond the cap of one: not replaced
        pool.execute(() -> ran.add("other lane"));
        assertThat(pool.writtenOff()).isEqualTo(2);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("other lane"));
        // Only a thread coming back could take it.
        assertThat(ran.indexOf("other lane")).isGreaterThan(ran.indexOf("returned"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.writtenOff() == 0);
    }

    private Runnable hung(String name) {
        return () -> {
            ran.add(name);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!ran.contains("returned")) {
                ran.add("returned");
            }
            pool.returned();
        };
    }
}
