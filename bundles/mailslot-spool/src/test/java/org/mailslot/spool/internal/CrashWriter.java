package org.mailslot.spool.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Run in a child JVM by {@link CrashSafetyTest}: submits without end and prints each receipt. */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        FileSpool spool = new FileSpool(Path.of(args[0]), 1024 * 1024, SpoolIo.SYSTEM, Clock.systemUTC());
        AtomicLong sequence = new AtomicLong();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    String token = "token-" + sequence.incrementAndGet();
                    try {
                        String id = Fixtures.submit(spool, Fixtures.envelope("a@example.org", "b@example.org"),
                                Fixtures.message(token, token + " " + "x".repeat(2000))).id();
                        synchronized (System.out) {
                            System.out.println("OK " + id + " " + token);
                            System.out.flush();
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                        return;
                    }
                }
            });
            thread.start();
        }
    }
}
