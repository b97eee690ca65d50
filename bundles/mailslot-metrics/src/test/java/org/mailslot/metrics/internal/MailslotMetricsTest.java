package org.mailslot.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;

class MailslotMetricsTest {

    /** A queue of a given depth that counts how often it is listed. */
    private static final class CountedQueue implements MailQueue {
        final AtomicInteger listings = new AtomicInteger();
        final int depth;

        CountedQueue(int depth) {
            this.depth = depth;
        }

        @Override
        public List<QueueEntry> list() {
            listings.incrementAndGet();
            return List.of();
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public Optional<QueueEntry> entry(String id) {
            return Optional.empty();
        }

        @Override
        public boolean hold(String id) {
            return false;
        }

        @Override
        public boolean release(String id) {
            return false;
        }

        @Override
        public boolean delete(String id) {
            return false;
        }

        @Override
        public int flush() {
            return 0;
        }

        @Override
        public boolean flush(String id) {
            return false;
        }

        @Override
        public Optional<MessageSource> content(String id) {
            return Optional.empty();
        }
    }

    @Test
    void aSampleCountsTheQueueWithoutListingIt() {
        CountedQueue queue = new CountedQueue(7);
        MailslotMetrics metrics = new MailslotMetrics();
        metrics.queue = queue;

        metrics.sample();

        assertThat(metrics.history()).extracting(History.Sample::depth).containsExactly(7);
        assertThat(queue.listings).hasValue(0);
    }

    @Test
    void theMBeansListTheQueueOnceForReadsWithinASample() throws Exception {
        CountedQueue queue = new CountedQueue(0);
        MailslotMetrics metrics = new MailslotMetrics();
        metrics.queue = queue;
        metrics.activate();
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("org.mailslot:type=Queue");

            assertThat(server.getAttribute(name, "Depth")).isEqualTo(0);
            assertThat(server.getAttribute(name, "OldestMessageAgeSeconds")).isEqualTo(0L);

            assertThat(queue.listings).hasValue(1);
        } finally {
            metrics.deactivate();
        }
    }
}
