package org.mailslot.benchmarks;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.retrieval.internal.AccountComponent;
import org.mailslot.retrieval.internal.AccountConfig;
import org.mailslot.retrieval.internal.RetrievalPorts;
import org.mailslot.retrieval.internal.RetrievalThreads;
import org.mailslot.retrieval.internal.Whiteboard;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.osgi.framework.BundleContext;

/**
 * Messages per second retrieved over IMAPS from a private Dovecot (127.0.0.3:993) holding N
 * messages of 4 KB: Mailslot's retrieval account (fetch, fsync'd Maildir file per message, state
 * record, hand-off to one counting handler) against fetchmail from Debian on the same mailbox in the
 * same run ({@code keep fetchall}, delivering into a BSMTP file: fetchmail's cheapest local
 * delivery). Both verify Dovecot's certificate against the test CA. Runs interleave; a warm-up of
 * each comes first. Prints a markdown table with the median.
 *
 * <p>Usage: {@code retrieval.sh [--messages 10000] [--size 4096] [--reps 3] [--batch 500]}
 */
public final class RetrievalBenchmark {

    private static final String USER = "bench";
    private static final String PASSWORD = "bench-secret-1";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--messages", "10000", "--size", "4096", "--reps", "3",
                "--batch", "500"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        int messages = Integer.parseInt(options.get("--messages"));
        int size = Integer.parseInt(options.get("--size"));
        int reps = Integer.parseInt(options.get("--reps"));
        int batch = Integer.parseInt(options.get("--batch"));
        Processes.which("fetchmail");

        Path work = Files.createTempDirectory("retrieval-bench-");
        TestCa ca = TestCa.create();
        Path caPem = ca.writeCertificatePem(work.resolve("ca.pem"));
        try (DovecotPeer dovecot = DovecotPeer.builder().certificate(ca.issueServer(DovecotPeer.DEFAULT_ADDRESS))
                .authPort(0).imapPort(0).pop3Port(0).pop3sPort(0).user(USER, PASSWORD).start()) {
            List<byte[]> box = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                box.add(message(i, size));
            }
            int seeded = dovecot.seed(USER, box);
            System.out.printf("Dovecot %s: %d messages of %d bytes in %s's INBOX%n", dovecot.address(), seeded, size, USER);
            TlsServiceImpl tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                    "trust.pem", caPem.toString(), "trust.jdk.defaults", false, "reload.interval.seconds", 0,
                    "self.signed.enabled", false)));

            System.out.printf("warm-up: Mailslot %.0f msg/s, fetchmail %.0f msg/s%n",
                    mailslot(tls, dovecot, work.resolve("warm"), seeded, batch),
                    fetchmail(work, caPem, dovecot, seeded));
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                ours.add(mailslot(tls, dovecot, work.resolve("run" + r), seeded, batch));
                theirs.add(fetchmail(work, caPem, dovecot, seeded));
                System.out.printf("run %d: Mailslot %.0f msg/s, fetchmail %.0f msg/s%n", r + 1, ours.get(r), theirs.get(r));
            }
            double m = median(ours);
            double f = median(theirs);
            System.out.println();
            System.out.printf("| %d × %d B over IMAPS | Mailslot | fetchmail | ratio |%n", seeded, size);
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| messages/s (median of %d) | **%.0f** | %.0f | **%.2f×** |%n", reps, m, f, m / f);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One fresh account (new local directory) fetching the whole mailbox; @return messages per second */
    private static double mailslot(TlsServiceImpl tls, DovecotPeer dovecot, Path data, int expected, int batch)
            throws Exception {
        Files.createDirectories(data);
        Whiteboard whiteboard = new Whiteboard();
        AtomicInteger handed = new AtomicInteger();
        whiteboard.addHandler(message -> handed.incrementAndGet(), Map.of(MessageHandler.NAME, "counter"));
        RetrievalPorts ports = new RetrievalPorts();
        ports.addStrategy(PortStrategy.of(993, PortRole.MAILBOX_ACCESS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED), Map.of());
        Map<String, Object> props = new HashMap<>();
        props.put("host", dovecot.address());
        props.put("port", 993);
        props.put("username", USER);
        props.put(".password", PASSWORD);
        props.put("idle", false);
        props.put("poll.interval", "1h");
        props.put("batch.size", batch);
        props.put("service.pid", "org.mailslot.account~bench");
        BundleContext context = (BundleContext) Proxy.newProxyInstance(RetrievalBenchmark.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) ->
                        method.getName().equals("getProperty") && "karaf.data".equals(args[0]) ? data.toString() : null);
        long t0 = System.nanoTime();
        RetrievalThreads threads = new RetrievalThreads();
        AccountComponent account = new AccountComponent(ComponentConfig.of(AccountConfig.class, props), props, context,
                tls, whiteboard, ports, threads);
        try {
            while (handed.get() < expected) {
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("Mailslot handed off " + handed.get() + " of " + expected
                            + " in 5 minutes: " + account.status());
                }
                Thread.onSpinWait();
                TimeUnit.MILLISECONDS.sleep(1);
            }
            return expected / ((System.nanoTime() - t0) / 1e9);
        } finally {
            account.stop();
            threads.close();
        }
    }

    /** fetchmail with keep and fetchall into a BSMTP file; @return messages per second */
    private static double fetchmail(Path work, Path caPem, DovecotPeer dovecot, int expected) throws Exception {
        Path rc = work.resolve("fetchmailrc");
        Path out = work.resolve("fetched.bsmtp");
        Files.deleteIfExists(out);
        Files.writeString(rc, "set no bouncemail\nset no syslog\n"
                + "poll " + dovecot.address() + " protocol IMAP port 993 user \"" + USER + "\" password \"" + PASSWORD
                + "\" ssl sslcertck sslcertfile \"" + caPem + "\" keep fetchall bsmtp \"" + out + "\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("fetchmail", "-f", rc.toString(), "--nodetach", "-s", "-i",
                work.resolve("fetchids").toString(), "--pidfile", work.resolve("fetchmail.pid").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("fetchmail.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("fetchmail failed (" + p.exitValue() + "): "
                    + Files.readString(work.resolve("fetchmail.log")));
        }
        double rate = expected / ((System.nanoTime() - t0) / 1e9);
        long count;
        try (var lines = Files.lines(out, StandardCharsets.ISO_8859_1)) {
            count = lines.filter(l -> l.startsWith("Subject: benchmark ")).count();
        }
        if (count != expected) {
            throw new IllegalStateException("fetchmail delivered " + count + " of " + expected + " messages");
        }
        return rate;
    }

    private static byte[] message(int n, int size) {
        StringBuilder m = new StringBuilder("From: sender@example.org\r\nTo: bench@example.org\r\nSubject: benchmark "
                + n + "\r\nMessage-ID: <b" + n + "@example.org>\r\n\r\n");
        while (m.length() < size - 2) {
            m.append("x".repeat(Math.min(76, size - 2 - m.length()))).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
