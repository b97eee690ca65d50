package org.mailslot.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.mailslot.testing.peers.ArtemisPeer;
import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;

/**
 * Durable SMTP ingest: Mailslot's listener (the shipped distribution, {@code bin/karaf server},
 * its spool fsyncing before 250) against Postfix's smtpd (into its queue, fsync before 250) on the
 * same machine, in the same run, at 1, 8 and 32 concurrent sessions.
 *
 * <p>Both get the same octets for a recipient in a domain they relay to a next hop that refuses
 * connections (127.0.0.1 on a closed port): each queues the message, tries once, and defers it, so
 * what is measured is ingest, and neither does delivery work the other does not. Every measurement
 * starts with all servers idle (the previous messages' attempts over) and counts the processor time
 * until they are idle again, so a message's CPU figure holds its ingest and its one attempt, and no
 * server's background work falls into another's measurement.
 *
 * <ul>
 *   <li><b>smtp-source</b> (Postfix's load generator, one message per connection as in the issue's
 *       Postfix figures): messages/s from its start to its exit (it exits when the last message is
 *       answered).</li>
 *   <li><b>Harness</b> (this class): the same number of sessions, each reusing its connection; the
 *       time from writing the end of data to reading the 250 reply, per message: p50, p99 and the
 *       rate.</li>
 *   <li><b>smtp-sink</b> (Postfix's test server, which answers and stores nothing, no fsync) under the
 *       same smtp-source load: what this machine and smtp-source reach when the server does no work,
 *       the ceiling for every other column.</li>
 *   <li><b>Artemis</b> (target {@code artemis}): a second Mailslot, {@code --artemis-home}, whose queue is on
 *       an Artemis 2.40.0 broker that this class starts on 127.0.0.40 ({@code org.mailslot.queue store =
 *       artemis}): the same loads, and the broker's processor time per message beside the node's.</li>
 *   <li><b>Heap</b>: Mailslot's JVM sampled with {@code jstat -gc} every 100 ms while idle and while
 *       one 30 MB message is received.</li>
 * </ul>
 *
 * Options: {@code --home DIR} (an unpacked distribution, required), {@code --artemis-home DIR} (a second
 * one, required for the target artemis), {@code --targets mailslot,artemis,postfix,sink}, {@code --sessions 1,8,32},
 * {@code --size 4096}, {@code --count N} (messages per measurement, default 2000), {@code --warmup N} (messages
 * Mailslot gets first, default 10000), {@code --reps N}
 * (default 3), {@code --heap-mb 30}, {@code --xmx 1g}, {@code --sender-checks off} (the listener's
 * {@code sender.checks}; unset: required, as on every port-25 listener).
 */
public final class IngestBenchmark {

    static final String POSTFIX_ADDRESS = "127.0.0.21";
    static final int POSTFIX_PORT = 20025;
    static final String SINK_ADDRESS = "127.0.0.22";
    static final int SINK_PORT = 20022;
    static final String SENDER = "sender@bench.test";
    static final String RECIPIENT = "rcpt@ingest.bench";
    /** How long a node must take senders without a break before the run starts. */
    private static final Duration STEADY = Duration.ofSeconds(5);
    /** How long the idle Artemis node and broker are watched after the run: two status samples or more. */
    private static final Duration IDLE = Duration.ofSeconds(65);

    private Path home;
    private List<Integer> sessions = List.of(1, 8, 32);
    private List<Integer> sizes = List.of(1024, 102400);
    private int count = 2000;
    private int warmup = 10000;
    /** The listener's sender.checks; null: unset, required on this port-25 listener. */
    private String senderChecks;
    private int reps = 3;
    private int heapMb = 30;
    private String xmx = "1g";
    private List<String> targets = List.of("mailslot", "artemis", "postfix", "sink");
    /** A second copy of the distribution, for the target "artemis": Mailslot with its queue on the broker. */
    private Path artemisHome;
    private String karafJavaOpts = "";

    private Path work;
    private Process karaf;
    private int mailslotPort;
    private Process artemisKaraf;
    private int artemisPort;
    private ArtemisPeer broker;
    private byte[] message;
    private Path messageFile;
    private final Map<String, List<Double>> results = new LinkedHashMap<>();
    private long postfixPid;
    private static final int QUIET_MILLIS = 1000;
    private static final int QUIET_PERCENT = 8;

    public static void main(String[] args) throws Exception {
        IngestBenchmark benchmark = new IngestBenchmark();
        benchmark.parse(args);
        benchmark.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--home" -> home = Path.of(value).toAbsolutePath();
                case "--artemis-home" -> artemisHome = Path.of(value).toAbsolutePath();
                case "--sessions" -> sessions = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--size", "--sizes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--count" -> count = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--sender-checks" -> senderChecks = value;
                case "--reps" -> reps = Integer.parseInt(value);
                case "--heap-mb" -> heapMb = Integer.parseInt(value);
                case "--xmx" -> xmx = value;
                case "--targets" -> targets = List.of(value.split(","));
                case "--karaf-java-opts" -> karafJavaOpts = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home DIR (an unpacked Mailslot distribution) is required");
        }
        if (targets.contains("artemis") && artemisHome == null) {
            throw new IllegalArgumentException("the target artemis needs --artemis-home DIR (a second unpacked distribution)");
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Ingest benchmark: message sizes %s octets, sessions %s, %d messages per measurement,"
                + " %d repetitions; Mailslot -Xmx%s; load average %s%n", sizes, sessions, count, reps, xmx, loadAverage());
        work = Files.createTempDirectory("mailslot-ingest-");
        int refusing = closedPort();
        PostfixPeer postfix = null;
        CountingSink sink = null;
        try {
            postfix = targets.contains("postfix") ? startPostfix(refusing) : null;
            postfixPid = postfix == null ? 0 : postfix.masterPid();
            sink = targets.contains("sink") ? new CountingSink(SINK_ADDRESS, SINK_PORT) : null;
            startMailslot(refusing);
            if (targets.contains("artemis")) {
                // Set up as in production (docs/queue-on-artemis.md): the journal's flush timer tuned to the disk,
                // the security caches kept for minutes.
                broker = ArtemisPeer.builder().memory("1G").asInProduction().start();
                Files.writeString(artemisHome.resolve("etc/org.mailslot.queue.cfg"), String.join("\n",
                        "store = artemis", "artemis.url = " + broker.url(), "artemis.user = " + broker.user(),
                        "artemis.password = " + broker.password(), ""));
                Node node = startNode(artemisHome, refusing);
                artemisKaraf = node.process();
                artemisPort = node.port();
            }
            for (int size : sizes) {
                measure(size, postfix, sink);
            }
            System.out.println();
            System.out.println(table());
            System.out.printf("Mailslot spool after the run: %d messages queued (deferred to the refusing next hop)%n",
                    spooled(home));
            if (broker != null) {
                // The check that the artemis figures are the broker's: its queue holds that node's mail, and
                // that node's own file spool holds none.
                System.out.printf("Mailslot on Artemis after the run: %s messages on the broker's queue, %d in the"
                        + " node's own file spool%n", broker.messageCount("mailslot.queue").map(String::valueOf)
                        .orElse("no queue, so no"), spooled(artemisHome));
            }
            if (broker != null) {
                idleWithDeepQueue();
            }
            if (heapMb > 0) {
                heap();
            }
        } finally {
            stopMailslot();
            if (postfix != null) {
                postfix.close();
            }
            if (sink != null) {
                sink.close();
            }
        }
    }

    private void measure(int size, PostfixPeer postfix, CountingSink sink) throws Exception {
        message = RelayBenchmark.message(size);
        String text = new String(message, StandardCharsets.US_ASCII).replace(RelayBenchmark.RECIPIENT, RECIPIENT);
        message = text.getBytes(StandardCharsets.US_ASCII);
        messageFile = work.resolve("message.txt");
        // smtp-source -F sends each line with CRLF: the file has LF.
        Files.writeString(messageFile, text.replace("\r\n", "\n"), StandardCharsets.US_ASCII);
        {
            // Warm-up: JIT on Mailslot's side (C2 still compiles Karaf's and Mailslot's paths for tens of
            // thousands of messages, on the cores being measured), file cache and processes on Postfix's.
            if (targets.contains("mailslot")) {
                for (int s : List.of(8, 32)) {
                    smtpSource("127.0.0.1", mailslotPort, s, warmup / 4);
                    harness("127.0.0.1", mailslotPort, s, warmup / 4);
                }
            }
            if (targets.contains("artemis")) {
                for (int s : List.of(8, 32)) {
                    smtpSource("127.0.0.1", artemisPort, s, warmup / 4);
                    harness("127.0.0.1", artemisPort, s, warmup / 4);
                }
            }
            if (postfix != null) {
                smtpSource(POSTFIX_ADDRESS, POSTFIX_PORT, 8, Math.max(200, count / 4));
            }
            System.out.printf("Warm-up done; load %s%n", loadAverage());

            for (int rep = 0; rep < reps; rep++) {
                for (int s : sessions) {
                    List<String> order = new ArrayList<>(targets);
                    Collections.rotate(order, rep);
                    for (String target : order) {
                        String host = switch (target) {
                            case "mailslot", "artemis" -> "127.0.0.1";
                            case "postfix" -> POSTFIX_ADDRESS;
                            default -> SINK_ADDRESS;
                        };
                        int port = switch (target) {
                            case "mailslot" -> mailslotPort;
                            case "artemis" -> artemisPort;
                            case "postfix" -> POSTFIX_PORT;
                            default -> SINK_PORT;
                        };
                        CpuTime cpu = CpuTime.of(switch (target) {
                            case "mailslot" -> karaf.pid();
                            case "artemis" -> artemisKaraf.pid();
                            case "postfix" -> postfix.masterPid();
                            default -> sink.pid();
                        });
                        CpuTime brokerCpu = CpuTime.of(broker != null ? broker.pid() : ProcessHandle.current().pid());
                        List<CpuTime> servers = serverCpus();
                        // Each measurement starts with every server idle: the attempts of the messages
                        // before it (tried once, deferred) are over, on every node and on the broker.
                        awaitQuiet(servers);
                        long cpuBefore = cpu.millis();
                        long brokerBefore = brokerCpu.millis();
                        double sourceRate = count / (smtpSource(host, port, s, count) / 1e9);
                        // CPU until the server is idle again: the messages' ingest and their one attempt.
                        awaitQuiet(servers);
                        double cpuPerMessage = (cpu.millis() - cpuBefore) / (double) count;
                        double brokerPerMessage = (brokerCpu.millis() - brokerBefore) / (double) count;
                        Latencies latencies = harness(host, port, s, count);
                        String key = target + "/" + size + "/" + s;
                        record(key + "/source", sourceRate);
                        record(key + "/cpu", cpuPerMessage);
                        if (broker != null) {
                            record(key + "/brokercpu", brokerPerMessage);
                        }
                        record(key + "/harness", latencies.rate());
                        record(key + "/p50", latencies.percentile(50));
                        record(key + "/p99", latencies.percentile(99));
                        System.out.printf(Locale.ROOT, "rep %d %-8s %6d octets %2d sessions: smtp-source %6.0f msg/s"
                                + " (%.2f CPU ms/msg); harness %6.0f msg/s, 250 after end of data p50 %.2f ms p99 %.2f ms;"
                                + " load %s%n", rep + 1, target, size, s, sourceRate, cpuPerMessage, latencies.rate(),
                                latencies.percentile(50), latencies.percentile(99), loadAverage());
                    }
                }
            }
        }
    }

    /**
     * What the Artemis node and the broker spend while no mail comes, with the run's deferred messages on the
     * broker's queue: the node's periodic work (status samples, the scheduler's takes) over a span that holds
     * two of the status page's 30 s samples.
     */
    private void idleWithDeepQueue() throws InterruptedException {
        awaitQuiet(serverCpus());
        CpuTime node = CpuTime.of(artemisKaraf.pid());
        CpuTime brokerCpu = CpuTime.of(broker.pid());
        long nodeBefore = node.millis();
        long brokerBefore = brokerCpu.millis();
        TimeUnit.SECONDS.sleep(IDLE.toSeconds());
        long nodeMillis = node.millis() - nodeBefore;
        long brokerMillis = brokerCpu.millis() - brokerBefore;
        System.out.printf(Locale.ROOT, "Idle for %d s with %s messages on the broker's queue: Artemis node %d ms,"
                + " broker %d ms of CPU%n", IDLE.toSeconds(), broker.messageCount("mailslot.queue").map(String::valueOf)
                .orElse("?"), nodeMillis, brokerMillis);
    }

    /** @return the processor time of every server of the run: Mailslot nodes, broker, Postfix, sink */
    private List<CpuTime> serverCpus() {
        List<CpuTime> servers = new ArrayList<>();
        for (Process node : Arrays.asList(karaf, artemisKaraf)) {
            if (node != null) {
                servers.add(CpuTime.of(node.pid()));
            }
        }
        if (broker != null) {
            servers.add(CpuTime.of(broker.pid()));
        }
        if (postfixPid > 0) {
            servers.add(CpuTime.of(postfixPid));
        }
        return servers;
    }

    /**
     * Waits until the servers are idle: together less than {@value #QUIET_PERCENT} % of a core over
     * {@value #QUIET_MILLIS} ms (an idle Karaf polls its queue and collects garbage), for at most a minute.
     */
    private static void awaitQuiet(List<CpuTime> servers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long before = servers.stream().mapToLong(CpuTime::millis).sum();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(QUIET_MILLIS);
            long now = servers.stream().mapToLong(CpuTime::millis).sum();
            if ((now - before) * 100 < QUIET_PERCENT * QUIET_MILLIS) {
                return;
            }
            before = now;
        }
        System.out.println("warning: the servers did not become idle within 60 s; CPU per message includes more");
    }

    private void record(String key, double value) {
        results.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append("| Size | Sessions | Mailslot msg/s (smtp-source) | Postfix msg/s (smtp-source) | ratio"
                + " | smtp-sink msg/s (smtp-source) | Mailslot / sink"
                + " | CPU ms/msg Mailslot / Postfix / sink | Mailslot msg/s (harness) | Postfix msg/s (harness) | ratio"
                + " | Mailslot p50 / p99 ms | Postfix p50 / p99 ms |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            for (int s : sessions) {
                String m = "mailslot/" + size + "/" + s;
                String p = "postfix/" + size + "/" + s;
                String k = "sink/" + size + "/" + s;
                out.append(String.format(Locale.ROOT,
                        "| %d | %d | %s | %s | %.2f | %s | %.0f %% | %.2f / %.2f / %.2f | %s | %s | %.2f | %.2f / %.2f | %.2f / %.2f |%n",
                        size, s, cell(m + "/source"), cell(p + "/source"), median(m + "/source") / median(p + "/source"),
                        cell(k + "/source"), 100 * median(m + "/source") / median(k + "/source"),
                        median(m + "/cpu"), median(p + "/cpu"), median(k + "/cpu"),
                        cell(m + "/harness"), cell(p + "/harness"), median(m + "/harness") / median(p + "/harness"),
                        median(m + "/p50"), median(m + "/p99"), median(p + "/p50"), median(p + "/p99")));
            }
        }
        if (targets.contains("artemis")) {
            out.append("\nMailslot with its queue on Artemis (org.mailslot.queue store = artemis; broker 2.40.0 on 127.0.0.40,"
                    + " NIO journal, fsync on, journal-buffer-timeout as artemis create tunes it, security caches 5 min):\n\n");
            out.append("| Size | Sessions | Mailslot+Artemis msg/s (smtp-source) | Mailslot file store msg/s | Postfix msg/s"
                    + " | Artemis / Postfix | CPU ms/msg node / broker | broker CPU ms/msg with the file store (idle) | p50 / p99 ms |\n");
            out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int size : sizes) {
                for (int s : sessions) {
                    String a = "artemis/" + size + "/" + s;
                    String m = "mailslot/" + size + "/" + s;
                    String p = "postfix/" + size + "/" + s;
                    out.append(String.format(Locale.ROOT, "| %d | %d | %s | %.0f | %.0f | %.2f | %.2f / %.2f | %.2f | %.2f / %.2f |%n",
                            size, s, cell(a + "/source"), median(m + "/source"), median(p + "/source"),
                            median(a + "/source") / median(p + "/source"), median(a + "/cpu"), median(a + "/brokercpu"),
                            median(m + "/brokercpu"), median(a + "/p50"), median(a + "/p99")));
                }
            }
        }
        out.append(String.format(Locale.ROOT, "%nMedian of %d runs (each run's rate in brackets); %d messages per"
                + " measurement; latencies are medians of the runs' percentiles; CPU is what the server's processes"
                + " used (user + system) from the start of the smtp-source measurement until every server was idle again"
                + " (the messages' ingest and their one attempt, tried and deferred), divided by its messages; each"
                + " measurement starts with every server idle.%n", reps, count));
        return out.toString();
    }

    private String cell(String key) {
        StringBuilder runs = new StringBuilder();
        for (double r : results.getOrDefault(key, List.of())) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", r));
        }
        return String.format(Locale.ROOT, "**%.0f** (%s)", median(key), runs);
    }

    private double median(String key) {
        return RelayBenchmark.median(results.get(key));
    }

    // ---------------------------------------------------------------- peers

    private PostfixPeer startPostfix(int refusing) {
        TestCa ca = TestCa.create();
        PostfixPeer postfix = PostfixPeer.builder()
                .address(POSTFIX_ADDRESS)
                .hostname("ingest.bench.test")
                .certificate(ca.issueServer(POSTFIX_ADDRESS, "ingest.bench.test"))
                .port(Listener.RELAY, POSTFIX_PORT)
                .closed(Listener.SUBMISSIONS).closed(Listener.SUBMISSION).closed(Listener.ALTERNATE)
                .mainCf("relayhost", "[127.0.0.1]:" + refusing)
                .mainCf("mynetworks", "127.0.0.0/8")
                .mainCf("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination")
                .mainCf("smtp_tls_security_level", "none")
                .mainCf("smtpd_tls_loglevel", "0")
                .mainCf("smtpd_client_connection_count_limit", "0")
                .mainCf("default_process_limit", "200")
                .mainCf("message_size_limit", "52428800")
                .start();
        System.out.printf("Postfix %s:%d (%s), relayhost [127.0.0.1]:%d (refuses)%n", POSTFIX_ADDRESS, POSTFIX_PORT,
                postfix.configDirectory(), refusing);
        return postfix;
    }

    /** A Mailslot node of the run: its Karaf process and its listener's port. */
    private record Node(Process process, int port) {
    }

    private void startMailslot(int refusing) throws Exception {
        Node node = startNode(home, refusing);
        karaf = node.process();
        mailslotPort = node.port();
    }

    private Node startNode(Path home, int refusing) throws Exception {
        int mailslotPort = closedPort();
        Path etc = home.resolve("etc");
        Files.writeString(etc.resolve("org.mailslot.listener-submission.cfg"), String.join("\n",
                "# ingest benchmark: MTA-to-MTA rules (25), relaying to its local domains only",
                "address = 127.0.0.1", "port = " + mailslotPort, "strategy = 25",
                "local.domains = localhost, ingest.bench", "max.connections.per.client = 100",
                "max.connections = 400", "max.message.size = 52428800",
                senderChecks == null ? "" : "sender.checks = " + senderChecks, ""));
        Files.writeString(etc.resolve("org.mailslot.relay-hold.cfg"), String.join("\n",
                "host = 127.0.0.1", "ports = " + refusing, "domains = ingest.bench", "connect.timeout = 5", ""));
        Files.writeString(etc.resolve("org.mailslot.delivery.cfg"), "local.domains = localhost\n");
        List<String> shell = Files.readAllLines(etc.resolve("org.apache.karaf.shell.cfg"));
        int sshPort = closedPort();
        shell.replaceAll(l -> l.startsWith("sshPort") ? "sshPort = " + sshPort : l);
        Files.write(etc.resolve("org.apache.karaf.shell.cfg"), shell);

        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("KARAF_EXEC", "exec");
        // Karaf 4.4's bin/karaf ignores JAVA_MIN_MEM and JAVA_MAX_MEM (runs before 2026-12-03 13:30
        // had the JVM's default heap, a quarter of the memory, though they said -Xmx256m).
        builder.environment().put("EXTRA_JAVA_OPTS", "-Xms" + xmx + " -Xmx" + xmx + " " + karafJavaOpts);
        Process karaf = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // Ready once it has taken senders for STEADY in a row: with store = artemis, Karaf installs the store's
        // feature after the first start and the listener waits for the queue again meanwhile (451).
        long steadySince = 0;
        while (steadySince == 0 || System.nanoTime() - steadySince < STEADY.toNanos()) {
            if (!takesMail(mailslotPort)) {
                steadySince = 0;
            } else if (steadySince == 0) {
                steadySince = System.nanoTime();
            }
            if (!karaf.isAlive() || System.nanoTime() > deadline) {
                throw new PeerException("Mailslot did not take mail on 127.0.0.1:" + mailslotPort + "; see "
                        + home.resolve("console.log") + " and " + home.resolve("data/log/karaf.log"));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        System.out.printf("Mailslot %s (pid %d, -Xmx%s) listening on 127.0.0.1:%d%n", home, karaf.pid(), xmx, mailslotPort);
        return new Node(karaf, mailslotPort);
    }

    private void stopMailslot() {
        for (Process node : java.util.Arrays.asList(karaf, artemisKaraf)) {
            if (node != null && node.isAlive()) {
                Processes.terminate(node.pid(), Duration.ofSeconds(30));
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** @return the messages in Mailslot's spool: files of their own and records in segments, less the finished */
    private static int spooled(Path home) throws IOException {
        Path queue = home.resolve("data/mailslot/spool/queue");
        if (!Files.isDirectory(queue)) {
            return 0;
        }
        int count = 0;
        try (var files = Files.list(queue)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".msg")) {
                    count++;
                } else if (name.endsWith(".seg")) {
                    count += occurrences(Files.readAllBytes(file), "MAILSLOT-RECORD 1 ".getBytes(StandardCharsets.US_ASCII));
                } else if (name.endsWith(".seg.done")) {
                    count -= (int) Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
                }
            }
        }
        return count;
    }

    private static int occurrences(byte[] in, byte[] what) {
        int found = 0;
        outer:
        for (int i = 0; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            found++;
        }
        return found;
    }

    /**
     * @return whether the listener takes a sender: it greets before the queue it stores into is up (a store on
     *     a broker connects first), and answers MAIL with 451 until then
     */
    private static boolean takesMail(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            java.io.OutputStream out = socket.getOutputStream();
            if (!reply(in).startsWith("220")) {
                return false;
            }
            out.write("EHLO bench.test\r\n".getBytes(StandardCharsets.US_ASCII));
            if (!reply(in).startsWith("250")) {
                return false;
            }
            out.write(("MAIL FROM:<" + SENDER + ">\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            return reply(in).startsWith("250");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the last line of a (multi-line) reply, empty at the end of the stream */
    private static String reply(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
        return "";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- load

    /** @return nanoseconds from smtp-source's start to its exit */
    private long smtpSource(String host, int port, int sessions, int messages) throws Exception {
        List<String> command = List.of(Processes.which("smtp-source").toString(), "-4", "-m", Integer.toString(messages),
                "-s", Integer.toString(sessions), "-F", messageFile.toString(), "-f", SENDER, "-t", RECIPIENT,
                "-M", "bench.test", host + ":" + port);
        Path out = work.resolve("smtp-source.out");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new PeerException(String.join(" ", command) + " did not finish in 300 s");
        }
        long nanos = System.nanoTime() - start;
        String printed = Files.readString(out);
        if (process.exitValue() != 0 || !printed.isBlank()) {
            throw new PeerException(String.join(" ", command) + " exited " + process.exitValue() + ": " + printed);
        }
        return nanos;
    }

    /** Per-message time from the end of data to the 250 reply. */
    record Latencies(long[] nanos, long wallNanos) {
        double percentile(int p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }

        double rate() {
            return nanos.length / (wallNanos / 1e9);
        }
    }

    private Latencies harness(String host, int port, int sessions, int messages) throws Exception {
        long[] latencies = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(sessions);
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            Thread thread = new Thread(() -> {
                try (Client client = Client.open(host, port)) {
                    int n;
                    while ((n = next.getAndIncrement()) < messages && failure.get() == null) {
                        latencies[n] = client.send(SENDER, RECIPIENT, message);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "ingest-" + i);
            thread.start();
        }
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new PeerException("harness did not finish in 300 s");
        }
        long wall = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new PeerException("harness against " + host + ":" + port + " failed: " + failure.get(), failure.get());
        }
        return new Latencies(latencies, wall);
    }

    /** A plain SMTP client reusing its connection, timing the end of data. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        private Client(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        static Client open(String host, int port) throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(120_000);
            Client client = new Client(socket);
            client.expect(null, "220");
            client.expect("EHLO bench.test", "250");
            return client;
        }

        long send(String from, String to, byte[] message) throws IOException {
            expect("MAIL FROM:<" + from + ">", "250");
            expect("RCPT TO:<" + to + ">", "250");
            expect("DATA", "354");
            out.write(message);
            long start = System.nanoTime();
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = reply();
            long nanos = System.nanoTime() - start;
            if (!reply.startsWith("250")) {
                throw new IOException("end of data answered " + reply);
            }
            return nanos;
        }

        /** Sends a large message from a generator, never holding it whole. */
        void sendStreamed(String from, String to, long octets) throws IOException {
            expect("MAIL FROM:<" + from + ">", "250");
            expect("RCPT TO:<" + to + ">", "250");
            expect("DATA", "354");
            out.write(("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: heap test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < octets; sent += line.length) {
                out.write(line);
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = reply();
            if (!reply.startsWith("250")) {
                throw new IOException("end of data answered " + reply);
            }
        }

        private void expect(String command, String code) throws IOException {
            if (command != null) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            String reply = reply();
            if (!reply.startsWith(code)) {
                throw new IOException((command == null ? "greeting" : command) + " answered " + reply);
            }
        }

        private String reply() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed");
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }

        @Override
        public void close() throws IOException {
            try {
                expect("QUIT", "221");
            } finally {
                socket.close();
            }
        }
    }

    // ---------------------------------------------------------------- heap

    /** Heap figures from jstat -gc, in KiB: used (survivors + eden + old) and old. */
    record HeapSample(double used, double old, long youngGcs, long fullGcs) {
    }

    private final class HeapSampler implements AutoCloseable {
        private final Process jstat;
        private final List<HeapSample> samples = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        HeapSampler() throws IOException {
            jstat = new ProcessBuilder(Processes.which("jstat").toString(), "-gc", Long.toString(karaf.pid()), "100")
                    .redirectErrorStream(true).start();
            reader = new Thread(this::read, "jstat");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
                Map<String, Integer> columns = new HashMap<>();
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 0 && fields[0].equals("S0C")) {
                        for (int i = 0; i < fields.length; i++) {
                            columns.put(fields[i], i);
                        }
                        continue;
                    }
                    if (columns.isEmpty() || fields.length < columns.size()) {
                        continue;
                    }
                    double used = value(fields, columns, "S0U") + value(fields, columns, "S1U")
                            + value(fields, columns, "EU") + value(fields, columns, "OU");
                    samples.add(new HeapSample(used, value(fields, columns, "OU"),
                            (long) value(fields, columns, "YGC"), (long) value(fields, columns, "FGC")));
                }
            } catch (IOException e) {
                // jstat ended.
            }
        }

        private static double value(String[] fields, Map<String, Integer> columns, String name) {
            return Double.parseDouble(fields[columns.get(name)]);
        }

        List<HeapSample> drain() {
            synchronized (samples) {
                List<HeapSample> copy = new ArrayList<>(samples);
                samples.clear();
                return copy;
            }
        }

        @Override
        public void close() {
            jstat.destroy();
        }
    }

    private void heap() throws Exception {
        long octets = heapMb * 1024L * 1024L;
        try (HeapSampler sampler = new HeapSampler()) {
            jcmd("GC.run");
            TimeUnit.SECONDS.sleep(1);
            sampler.drain();
            TimeUnit.SECONDS.sleep(5);
            List<HeapSample> idle = sampler.drain();
            long start = System.nanoTime();
            try (Client client = Client.open("127.0.0.1", mailslotPort)) {
                client.sendStreamed(SENDER, RECIPIENT, octets);
            }
            long nanos = System.nanoTime() - start;
            TimeUnit.MILLISECONDS.sleep(300);
            List<HeapSample> during = sampler.drain();
            jcmd("GC.run");
            TimeUnit.SECONDS.sleep(1);
            List<HeapSample> after = sampler.drain();
            System.out.printf(Locale.ROOT, "%nHeap (Mailslot JVM, -Xms%s -Xmx%s, jstat -gc every 100 ms, MiB):%n", xmx, xmx);
            System.out.println("| Phase | samples | used max | used min | old gen max | young GCs | full GCs |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            row("idle, 5 s after a GC", idle);
            row(String.format(Locale.ROOT, "receiving one %d MB message (%.1f s)", heapMb, nanos / 1e9), during);
            row("after a GC", after);
        }
    }

    private static void row(String phase, List<HeapSample> samples) {
        if (samples.isEmpty()) {
            System.out.printf("| %s | 0 | - | - | - | - | - |%n", phase);
            return;
        }
        double max = samples.stream().mapToDouble(HeapSample::used).max().orElse(0) / 1024;
        double min = samples.stream().mapToDouble(HeapSample::used).min().orElse(0) / 1024;
        double old = samples.stream().mapToDouble(HeapSample::old).max().orElse(0) / 1024;
        long young = samples.get(samples.size() - 1).youngGcs() - samples.get(0).youngGcs();
        long full = samples.get(samples.size() - 1).fullGcs() - samples.get(0).fullGcs();
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %d | %d |%n", phase, samples.size(), max, min, old,
                young, full);
    }

    private void jcmd(String command) throws Exception {
        Process process = new ProcessBuilder(Processes.which("jcmd").toString(), Long.toString(karaf.pid()), command)
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
