package org.mailslot.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;

/**
 * Messages per second relayed to Postfix's {@code smtp-sink} on loopback, for 1 KB and 100 KB
 * messages over 1 and 8 concurrent connections, three ways, in the same run and into the same sink:
 *
 * <ol>
 *   <li><b>Mailslot</b>: {@link SmtpMailTransport} (constructed with {@code new}, as its tests do)
 *       delivering over a relay route to the sink, one {@code deliver} per message from 1 or 8
 *       threads, connections pooled and reused as the transport does. The port's strategy is
 *       {@code PortStrategy.of(port, RELAY, NONE, NONE)}: smtp-sink speaks no STARTTLS.</li>
 *   <li><b>Postfix</b>: a private Postfix (Debian's, via {@link PostfixPeer}) with
 *       {@code relayhost = [sink]:port}, fed by {@code smtp-source} with the same message, count and
 *       session count; timed from smtp-source's start until the sink has accepted every message.
 *       Postfix's outbound concurrency to the sink is limited to the same session count.</li>
 *   <li><b>Sink ceiling</b>: {@code smtp-source -d} (connection reuse) straight into the sink: what
 *       smtp-sink (single-threaded) and this machine can absorb.</li>
 * </ol>
 *
 * Each cell is measured several times (variants interleaved) after a warm-up; the median is
 * reported. Everything listens on 127.0.0.20-21, ports above 20000, and is stopped at the end.
 *
 * <p>Options: {@code --small N} (1 KB messages per measurement, default 20000), {@code --large N}
 * (100 KB, default 2000), the same load for every variant, {@code --reps N} (default 3), {@code --only mailslot|postfix|sink}
 * (repeatable), {@code --conns 1,8}, {@code --sizes 1024,102400}, {@code --dkim rsa|ed25519|dual} (DKIM-signed deliveries measured beside unsigned ones).
 */
public final class RelayBenchmark {

    static final String SINK_ADDRESS = "127.0.0.20";
    static final int SINK_PORT = 20026;
    static final String POSTFIX_ADDRESS = "127.0.0.21";
    static final int POSTFIX_PORT = 20025;
    static final String SENDER = "sender@bench.test";
    static final String RECIPIENT = "rcpt@example.net";
    static final Duration MEASUREMENT_LIMIT = Duration.ofSeconds(180);

    enum Variant {
        MAILSLOT("Mailslot"), MAILSLOT_DKIM("Mailslot DKIM-signed"), POSTFIX("Postfix relay"), SINK("smtp-source → sink");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    record Cell(int size, int connections) {
    }

    private final Map<Cell, Map<Variant, List<Double>>> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private int small = 20_000;
    private int large = 2000;
    private int reps = 3;
    private List<Integer> connections = List.of(1, 8);
    private List<Integer> sizes = List.of(1024, 102_400);
    private final List<Variant> variants = new ArrayList<>();
    /** With --dkim: the deliveries of the MAILSLOT_DKIM variant first go through the dkim-sign stage. */
    private org.mailslot.api.pipeline.MessageProcessor signing;
    private String dkim;

    private Path work;
    private CountingSink sink;
    private TlsServiceImpl tls;
    private SmtpMailTransport transport;
    private Route route;
    private final Map<Integer, byte[]> messages = new LinkedHashMap<>();
    private final Map<Integer, Path> messageFiles = new LinkedHashMap<>();

    /** Angus says "mail.mime.allowutf8 set but server doesn't advertise SMTPUTF8" per connection, at INFO. */
    private static final java.util.logging.Logger JUL_ROOT = java.util.logging.Logger.getLogger("");

    public static void main(String[] args) throws Exception {
        JUL_ROOT.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : JUL_ROOT.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        RelayBenchmark benchmark = new RelayBenchmark();
        benchmark.parse(args);
        benchmark.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--small" -> small = Integer.parseInt(value);
                case "--large" -> large = Integer.parseInt(value);
                case "--reps" -> reps = Integer.parseInt(value);
                case "--only" -> variants.add(Variant.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')));
                case "--conns" -> connections = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--dkim" -> dkim = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --small N --large N --reps N --only mailslot|mailslot-dkim|postfix|sink --conns 1,8"
                        + " --sizes 1024,102400 --dkim rsa|ed25519|dual");
            }
            i++;
        }
        if (variants.isEmpty()) {
            variants.addAll(List.of(Variant.values()));
        }
        // Signed deliveries are measured beside unsigned ones, in the same run: the goal is their ratio.
        if (dkim == null) {
            variants.remove(Variant.MAILSLOT_DKIM);
        } else {
            for (Variant mailslot : List.of(Variant.MAILSLOT, Variant.MAILSLOT_DKIM)) {
                if (!variants.contains(mailslot)) {
                    variants.add(0, mailslot);
                }
            }
        }
    }

    /**
     * The same for every variant: a rate measured over fewer messages would spend a larger share
     * of them in ramp-up (connections, JIT, Postfix's queue manager waking) and tail.
     */
    private int count(int size) {
        return size <= 10_000 ? small : large;
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        System.out.printf("Relay benchmark: sizes %s, connections %s, %d x 1 KB / %d x 100 KB per measurement"
                + " for every variant, %d repetitions, variants %s%n", sizes, connections, small, large, reps, variants);
        System.out.printf("Machine: %d CPUs available to the JVM; %s; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"), loadAverage());
        work = Files.createTempDirectory("mailslot-bench-");
        if (dkim != null) {
            signing = org.mailslot.dkim.internal.BenchmarkSigning.processor(SENDER.substring(SENDER.indexOf('@') + 1),
                    dkim, work.resolve("dkim"));
            System.out.println("The " + Variant.MAILSLOT_DKIM.label + " deliveries are DKIM-signed (" + dkim
                    + ") by the dkim-sign stage first");
        }
        try {
            for (int size : sizes) {
                messages.put(size, message(size));
                Path file = work.resolve("message-" + size + ".txt");
                // smtp-source -F appends CRLF to each line: the file has LF, the wire gets CRLF.
                Files.writeString(file, new String(messages.get(size), StandardCharsets.US_ASCII).replace("\r\n", "\n"),
                        StandardCharsets.US_ASCII);
                messageFiles.put(size, file);
            }
            sink = new CountingSink(SINK_ADDRESS, SINK_PORT);
            System.out.println("Sink: " + String.join(" ", sink.command()));
            if (variants.contains(Variant.MAILSLOT) || variants.contains(Variant.MAILSLOT_DKIM)) {
                startMailslot();
                warmUpMailslot();
            }
            for (int conns : connections) {
                PostfixPeer postfix = variants.contains(Variant.POSTFIX) ? startPostfix(conns) : null;
                try {
                    if (postfix != null) {
                        warmUpPostfix(conns);
                    }
                    for (int rep = 0; rep < reps; rep++) {
                        for (int size : sizes) {
                            Cell cell = new Cell(size, conns);
                            // Rotate the order so that no variant always runs first (or last).
                            List<Variant> order = new ArrayList<>(variants);
                            java.util.Collections.rotate(order, rep);
                            for (Variant variant : order) {
                                double rate = measure(variant, cell);
                                results.computeIfAbsent(cell, c -> new LinkedHashMap<>())
                                        .computeIfAbsent(variant, v -> new ArrayList<>()).add(rate);
                                System.out.printf("  rep %d  %-7s  %d conn  %-20s %8.0f msg/s%n", rep + 1,
                                        sizeLabel(size), conns, variant.label, rate);
                            }
                        }
                    }
                } finally {
                    if (postfix != null) {
                        postfix.close();
                    }
                }
            }
        } finally {
            if (transport != null) {
                transport.deactivate();
            }
            if (sink != null) {
                sink.close();
            }
            deleteTree(work);
        }
        System.out.println();
        System.out.println(table());
        notes.forEach(System.out::println);
        System.out.printf("Load average at end: %s; wall time %.0f s; JVM CPU time %.1f s%n", loadAverage(),
                (System.nanoTime() - started) / 1e9, jvmCpuSeconds());
    }

    // ---------------------------------------------------------------- Mailslot

    private void startMailslot() {
        // No TLS to smtp-sink; the real TLS service is still the one the transport runs with,
        // given an identity from a throw-away CA so that it loads without complaint.
        TestCa ca = TestCa.create();
        Path identity = ca.issueServer("client.bench.test").writePkcs12(work.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "identity.pkcs12", identity.toString(), ".identity.pkcs12.password", "secret",
                "trust.pem", ca.writeCertificatePem(work.resolve("ca.pem")).toString(),
                "trust.jdk.defaults", false, "self.signed.enabled", false, "reload.interval.seconds", 0)));
        transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(PortStrategy.of(SINK_PORT, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE), Map.of());
        route = new Route("sink", Route.Kind.RELAY, SINK_ADDRESS, List.of(SINK_PORT), Set.of("*"), false,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        int maxConnections = connections.stream().mapToInt(Integer::intValue).max().orElse(1);
        // Idle connections kept per port: as many as deliveries run at once, so none is closed
        // and reopened between messages (the configuration default, pool.size=4, would).
        transport.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofMinutes(10), Duration.ofMinutes(10), Optional.of("bench.test")), maxConnections));
    }

    private void warmUpMailslot() throws Exception {
        long t0 = System.nanoTime();
        for (int round = 0; round < 2; round++) {
            for (int conns : connections) {
                for (int size : sizes) {
                    int count = size <= 10_000 ? count(size) / 2 : Math.max(50, count(size) / 5);
                    deliverAll(size, conns, count, false);
                    if (signing != null) {
                        deliverAll(size, conns, count, true);
                    }
                }
            }
        }
        System.out.printf("Mailslot warm-up (JIT): %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** @return nanoseconds from the first deliver until the sink counted the last message */
    private long deliverAll(int size, int conns, int count, boolean signed) throws Exception {
        MessageSource source = MessageSource.of(messages.get(size));
        Envelope envelope = Envelope.builder().from(SENDER)
                .authenticatedSender(org.mailslot.api.mail.MailAddress.parse(SENDER)).to(RECIPIENT).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<DeliveryResult> firstFailure = new AtomicReference<>();
        long base = sink.messages();
        ExecutorService threads = Executors.newFixedThreadPool(conns, r -> {
            Thread thread = new Thread(r, "deliver");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < conns; t++) {
                futures.add(threads.submit(() -> {
                    while (next.getAndIncrement() < count) {
                        MessageSource message = source;
                        if (signed) {
                            message = signing.process(envelope, source).message().orElseThrow(
                                    () -> new IllegalStateException("the dkim-sign stage did not sign"));
                        }
                        DeliveryResult result = transport.deliver(envelope, message, route);
                        if (!result.allAccepted()) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, result);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(MEASUREMENT_LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            if (failed.get() > 0) {
                throw new PeerException(failed.get() + " of " + count + " deliveries failed; the first: "
                        + firstFailure.get());
            }
            long end = sink.awaitMessages(base + count, Duration.ofSeconds(30));
            return end - start;
        } finally {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- Postfix

    private PostfixPeer startPostfix(int conns) {
        TestCa ca = TestCa.create();
        PostfixPeer postfix = PostfixPeer.builder()
                .address(POSTFIX_ADDRESS)
                .hostname("relay.bench.test")
                .certificate(ca.issueServer(POSTFIX_ADDRESS, "relay.bench.test"))
                .port(Listener.RELAY, POSTFIX_PORT)
                .closed(Listener.SUBMISSIONS).closed(Listener.SUBMISSION).closed(Listener.ALTERNATE)
                .mainCf("relayhost", "[" + SINK_ADDRESS + "]:" + SINK_PORT)
                .mainCf("default_transport", "smtp")
                .mainCf("relay_transport", "relay")
                .mainCf("mynetworks", "127.0.0.0/8")
                .mainCf("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination")
                .mainCf("smtp_tls_security_level", "none")
                .mainCf("smtp_helo_name", "relay.bench.test")
                // The same number of connections to the sink as Mailslot uses.
                .mainCf("default_destination_concurrency_limit", Integer.toString(conns))
                .mainCf("initial_destination_concurrency", Integer.toString(Math.min(5, conns)))
                .mainCf("smtpd_tls_loglevel", "0")
                .start();
        System.out.printf("Postfix started on %s:%d, relayhost [%s]:%d, destination concurrency %d (%s)%n",
                POSTFIX_ADDRESS, POSTFIX_PORT, SINK_ADDRESS, SINK_PORT, conns, postfix.configDirectory());
        return postfix;
    }

    private void warmUpPostfix(int conns) throws Exception {
        for (int size : sizes) {
            smtpSource(POSTFIX_ADDRESS, POSTFIX_PORT, size, conns, Math.max(100, count(size) / 10));
        }
    }

    // ---------------------------------------------------------------- smtp-source

    /** @return nanoseconds from smtp-source's start until the sink counted the last message */
    private long smtpSource(String address, int port, int size, int sessions, int count) throws Exception {
        List<String> command = List.of(Processes.which("smtp-source").toString(), "-4", "-d", "-m",
                Integer.toString(count), "-s", Integer.toString(sessions), "-F", messageFiles.get(size).toString(),
                "-f", SENDER, "-t", RECIPIENT, "-M", "bench.test", address + ":" + port);
        long base = sink.messages();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("smtp-source.out").toFile()).start();
        try {
            long end = sink.awaitMessages(base + count, MEASUREMENT_LIMIT);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new PeerException(String.join(" ", command) + " did not end cleanly: "
                        + Processes.read(work.resolve("smtp-source.out")));
            }
            return end - start;
        } catch (PeerException e) {
            throw new PeerException(e.getMessage() + "\n" + String.join(" ", command) + " printed: "
                    + Processes.read(work.resolve("smtp-source.out")), e);
        } finally {
            if (process.isAlive()) {
                Processes.terminate(process.pid(), Duration.ofSeconds(2));
            }
        }
    }

    // ---------------------------------------------------------------- measuring

    private double measure(Variant variant, Cell cell) throws Exception {
        int count = count(cell.size());
        long nanos = switch (variant) {
            case MAILSLOT -> deliverAll(cell.size(), cell.connections(), count, false);
            case MAILSLOT_DKIM -> deliverAll(cell.size(), cell.connections(), count, true);
            case POSTFIX -> smtpSource(POSTFIX_ADDRESS, POSTFIX_PORT, cell.size(), cell.connections(), count);
            case SINK -> smtpSource(SINK_ADDRESS, SINK_PORT, cell.size(), cell.connections(), count);
        };
        return count / (nanos / 1e9);
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append("| Message | Connections | Mailslot msg/s | Postfix relay msg/s | smtp-sink ceiling msg/s"
                + " | Mailslot / Postfix | Mailslot / ceiling |" + (signing == null ? "" : " Mailslot DKIM-signed (" + dkim
                        + ") msg/s | signed / unsigned |") + "\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|" + (signing == null ? "" : "---:|---:|") + "\n");
        for (Map.Entry<Cell, Map<Variant, List<Double>>> entry : results.entrySet()) {
            Cell cell = entry.getKey();
            Map<Variant, List<Double>> byVariant = entry.getValue();
            double mailslot = median(byVariant.get(Variant.MAILSLOT));
            double postfix = median(byVariant.get(Variant.POSTFIX));
            double ceiling = median(byVariant.get(Variant.SINK));
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |", sizeLabel(cell.size()),
                    cell.connections(), rate(mailslot, byVariant.get(Variant.MAILSLOT)),
                    rate(postfix, byVariant.get(Variant.POSTFIX)), rate(ceiling, byVariant.get(Variant.SINK)),
                    ratio(mailslot, postfix, false), ratio(mailslot, ceiling, true)));
            if (signing != null) {
                double signed = median(byVariant.get(Variant.MAILSLOT_DKIM));
                out.append(String.format(Locale.ROOT, " %s | %s |", rate(signed, byVariant.get(Variant.MAILSLOT_DKIM)),
                        ratio(signed, mailslot, true)));
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%nMedian of %d runs (each run's rates in brackets); %d x 1 KB, %d x"
                + " 100 KB per run, for every variant.%n", reps, small, large));
        return out.toString();
    }

    private static String rate(double median, List<Double> all) {
        if (all == null || all.isEmpty()) {
            return "-";
        }
        StringBuilder runs = new StringBuilder();
        for (double r : all) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", r));
        }
        return String.format(Locale.ROOT, "**%.0f** (%s)", median, runs);
    }

    private static String ratio(double a, double b, boolean percent) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return "-";
        }
        return percent ? String.format(Locale.ROOT, "%.0f %%", 100 * a / b) : String.format(Locale.ROOT, "%.2f", a / b);
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String sizeLabel(int size) {
        return size % 1024 == 0 ? size / 1024 + " KB" : size % 1000 == 0 ? size / 1000 + " KB" : size + " B";
    }

    /**
     * @return a message of exactly {@code size} octets, CRLF line endings, 76-character body lines
     *     (none starting with a dot), the same for Mailslot and smtp-source
     */
    static byte[] message(int size) {
        StringBuilder text = new StringBuilder();
        text.append("From: Bench Sender <").append(SENDER).append(">\r\n");
        text.append("To: <").append(RECIPIENT).append(">\r\n");
        text.append("Subject: relay benchmark, ").append(size).append(" octets\r\n");
        text.append("Message-ID: <relay-benchmark-").append(size).append("@bench.test>\r\n");
        text.append("Date: Sat, 28 Nov 2026 00:00:00 +0000\r\n");
        text.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        int line = 0;
        while (text.length() < size) {
            int left = size - text.length();
            int length = Math.min(76, left - 2);
            if (left <= 2) {
                // Fewer than a CRLF left: lengthen the previous line instead.
                text.insert(text.length() - 2, "x".repeat(left));
                break;
            }
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt((line + i) % alphabet.length()));
            }
            text.append("\r\n");
            line++;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != size) {
            throw new IllegalStateException("message of " + bytes.length + " octets, wanted " + size);
        }
        return bytes;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double jvmCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort.
        }
    }
}
