package org.mailslot.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.queue.artemis.internal.ArtemisQueueStore;
import org.mailslot.queue.artemis.internal.Broker;
import org.mailslot.queue.artemis.internal.StoreSettings;
import org.mailslot.testing.peers.ArtemisPeer;

/**
 * Durable enqueue into the Artemis queue store: writers (as many as SMTP sessions would commit at
 * once) each enqueue messages through {@link ArtemisQueueStore#begin} and commit, which returns once
 * the broker's journal holds the message, against a real Artemis 2.40.0 broker on 127.0.0.40 (NIO
 * journal, fsync on). Reports the rate and the processor time per message of this JVM (the node's
 * store, client and netty) and of the broker's JVM. Prints markdown.
 *
 * <p>Usage: {@code ArtemisStoreBenchmark [--sessions 8,32] [--sizes 1024,102400] [--count 2000]}
 */
public final class ArtemisStoreBenchmark {

    private ArtemisStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sessions = List.of(8, 32);
        List<Integer> sizes = List.of(1024, 102_400);
        int count = 2000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sessions" -> sessions = ints(args[i + 1]);
                case "--sizes" -> sizes = ints(args[i + 1]);
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path bodies = Files.createTempDirectory("artemis-bench-bodies");
        try (ArtemisPeer broker = ArtemisPeer.builder().memory("1G").start()) {
            System.out.println("| size | sessions | messages | messages/s | node CPU ms/msg | broker CPU ms/msg |");
            System.out.println("|---|---|---|---|---|---|");
            for (int size : sizes) {
                for (int writers : sessions) {
                    run(broker, bodies, size, writers, Math.min(count, size > 10_000 ? count / 2 : count));
                }
            }
        }
    }

    private static void run(ArtemisPeer broker, Path bodies, int size, int writers, int count) throws Exception {
        StoreSettings settings = new StoreSettings(true, broker.url(), broker.user(), broker.password(),
                "bench-" + size + "-" + writers);
        byte[] message = message(size);
        try (ArtemisQueueStore store = new ArtemisQueueStore(new Broker(settings), bodies, Clock.systemUTC())) {
            enqueue(store, message, writers, Math.max(writers * 10, count / 10)); // warm-up
            CpuTime node = CpuTime.of(ProcessHandle.current().pid());
            CpuTime server = CpuTime.of(broker.pid());
            long nodeBefore = node.millis();
            long serverBefore = server.millis();
            long start = System.nanoTime();
            enqueue(store, message, writers, count);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("| %d | %d | %d | %.0f | %.3f | %.3f |%n", size, writers, count, count / seconds,
                    (node.millis() - nodeBefore) / (double) count, (server.millis() - serverBefore) / (double) count);
        }
    }

    private static void enqueue(ArtemisQueueStore store, byte[] message, int writers, int count) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        try (MessageWriter writer = store.begin(Envelope.builder()
                                .from(MailAddress.parse("load@example.test")).to(Recipient.of("sink@example.test"))
                                .build())) {
                            for (int offset = 0; offset < message.length; offset += 8192) {
                                writer.write(message, offset, Math.min(8192, message.length - offset));
                            }
                            writer.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] message(int size) {
        StringBuilder text = new StringBuilder("Subject: load\r\n\r\n");
        while (text.length() < size) {
            text.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n");
        }
        return text.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }
}
