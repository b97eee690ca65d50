package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.MessageHandler;

/**
 * Many accounts against one real Dovecot share the bundle's threads: besides one session thread per
 * connected account (Jakarta Mail blocks a thread in IDLE), retrieval's threads stay within the
 * pool sizes however many accounts run.
 */
class DovecotThreadsIT {

    private static final int MESSAGES = 5;

    @TempDir
    Path dir;
    RetrievalFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void fiftyAccountsWithTwoHandlersEachRunOnTheSharedPools() throws Exception {
        fixture = new RetrievalFixture(dir, "protocol imap {\n  mail_max_userip_connections = 200\n}");
        fixture.dovecot.seed(RetrievalFixture.USER, RetrievalFixture.messages(1, MESSAGES, 1024));
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        fixture.whiteboard.addHandler(message -> first.incrementAndGet(), Map.of(MessageHandler.NAME, "first"));
        fixture.whiteboard.addHandler(message -> second.incrementAndGet(), Map.of(MessageHandler.NAME, "second"));

        Map<String, Integer> afterOne = retrievalThreads(start(1), first, second);
        int jvmAfterOne = ManagementFactory.getThreadMXBean().getThreadCount();
        Map<String, Integer> afterFifty = retrievalThreads(start(49), first, second);
        int jvmAfterFifty = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(afterOne.get("session")).isEqualTo(1);
        assertThat(afterFifty.get("session")).isEqualTo(50);
        assertThat(afterFifty.getOrDefault("timer", 0)).isLessThanOrEqualTo(RetrievalThreads.TIMERS);
        assertThat(afterFifty.getOrDefault("commit", 0)).isLessThanOrEqualTo(RetrievalThreads.COMMITS);
        assertThat(afterFifty.getOrDefault("fsync", 0)).isLessThanOrEqualTo(RetrievalThreads.FORCES);
        assertThat(afterFifty.getOrDefault("handler", 0)).isLessThanOrEqualTo(HandlerPool.THREADS);
        assertThat(afterFifty.getOrDefault("other", 0)).isZero();
        // Nothing else per account either (Angus's write timeouts once took a thread per socket).
        assertThat(jvmAfterFifty - jvmAfterOne).isLessThanOrEqualTo(49 + RetrievalThreads.TIMERS
                + RetrievalThreads.COMMITS + RetrievalThreads.FORCES + HandlerPool.THREADS);
        System.out.printf("50 accounts idling on one Dovecot: %d JVM threads, retrieval's %s%n", jvmAfterFifty,
                afterFifty);
    }

    private int started;

    /** @return how many accounts run now */
    private int start(int more) throws Exception {
        for (int i = 0; i < more; i++) {
            fixture.start("acct" + started++, fixture.properties("imap", 993));
        }
        return started;
    }

    /** Waits until every account idles with everything handed to both handlers; @return thread counts by kind */
    private Map<String, Integer> retrievalThreads(int accounts, AtomicInteger first, AtomicInteger second) {
        await().atMost(Duration.ofSeconds(120)).until(() -> first.get() == accounts * MESSAGES
                && second.get() == accounts * MESSAGES && idling() == accounts);
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith(RetrievalThreads.PREFIX)) {
                String kind = name.substring(RetrievalThreads.PREFIX.length(), name.indexOf('-',
                        RetrievalThreads.PREFIX.length()));
                // A session thread running an account carries its name; one between tasks does not count.
                if (!kind.equals("session") || name.contains("-acct")) {
                    byKind.merge(kind, 1, Integer::sum);
                }
            } else if (name.startsWith("mailslot-")) {
                byKind.merge("other", 1, Integer::sum);
            }
        }
        return byKind;
    }

    private long idling() {
        return fixture.accounts().stream().filter(a -> AccountState.IDLE == a.status().state()).count();
    }
}
