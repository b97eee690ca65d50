package org.mailslot.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.TestCa;

/**
 * End to end, as users run a mail server: both halves at once on the same cores, Mailslot (the
 * shipped distribution) against Postfix under the same load from {@code smtp-source}.
 *
 * <ul>
 *   <li><b>gateway</b>: smtp-source → server → Postfix's {@code smtp-sink} (Mailslot over a relay
 *       route, Postfix by {@code transport_maps}); messages per second from smtp-source's start until
 *       the sink has accepted every message.</li>
 *   <li><b>local</b> (an MX with local mailboxes): smtp-source → server → a Maildir (Mailslot's local
 *       delivery, Postfix's virtual(8)); messages accepted per second while they are being delivered
 *       (smtp-source's rate), and per second until the last one is in the Maildir.</li>
 * </ul>
 * Both servers fsync a message before its 250 and keep it until the next hop answered 250 or the
 * Maildir file is written. CPU per message is what each server's processes used (user + system)
 * from smtp-source's start until the last message arrived.
 *
 * <p>Options: {@code --home DIR} (an unpacked distribution, required), {@code --scenarios gateway,local},
 * {@code --sessions 8,32}, {@code --sizes 1024,102400}, {@code --count N} (messages per measurement,
 * default 2000), {@code --warmup N} (messages per scenario Mailslot gets first, default 4000),
 * {@code --reps N} (default 1), {@code --targets mailslot,postfix}, {@code --xmx 1g},
 * {@code --karaf-java-opts "..."} (for example a JFR recording), {@code --delivery "per.destination = 8"} (a line
 * added to Mailslot's {@code org.mailslot.delivery.cfg}, repeatable), {@code --dkim rsa|ed25519|dual} (Mailslot
 * alone, gateway mail DKIM-signed against the same mail unsigned: see {@link #DKIM_DOMAIN}).
 */
public final class EndToEndBenchmark {

    static final String POSTFIX_ADDRESS = "127.0.0.21";
    static final int POSTFIX_PORT = 20025;
    static final String SINK_ADDRESS = "127.0.0.22";
    static final int SINK_PORT = 20022;
    static final String SENDER = "sender@bench.test";
    static final String GATEWAY_RECIPIENT = "rcpt@gateway.bench";
    static final String LOCAL_RECIPIENT = "bob@local.bench";
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofMinutes(5);
    /**
     * With --dkim, gateway mail is submitted on a submission listener by a logged-in user, so that its
     * sender is vouched for (what dkim-sign signs): From in this domain, which has keys, is signed;
     * From in {@link #UNSIGNED_DOMAIN} (as long, so the message is as large), which has none, is not.
     * Both go through the same listener, spool, pipeline and relay route, in the same run, interleaved.
     */
    static final String DKIM_DOMAIN = "bench.test";
    static final String UNSIGNED_DOMAIN = "plain.test";
    static final String SUBMISSION_USER = "sender";
    private static final String SUBMISSION_PASSWORD = "bench-secret";

    private Path home;
    private List<String> scenarios = List.of("gateway", "local");
    private List<Integer> sessions = List.of(8, 32);
    private List<Integer> sizes = List.of(1024, 102400);
    private int count = 2000;
    private int warmup = 4000;
    private int reps = 1;
    private List<String> targets = List.of("mailslot", "postfix");
    private String xmx = "1g";
    private String karafJavaOpts = "";
    /** Lines added to Mailslot's org.mailslot.delivery.cfg, to try a setting. */
    private final List<String> deliveryLines = new ArrayList<>();
    /** rsa, ed25519 or dual: measure signed against unsigned submission (Mailslot alone, gateway); null: off. */
    private String dkim;
    private int submissionPort;
    private byte[] message;

    private Path work;
    private final Results results = new Results();

    public static void main(String[] args) throws Exception {
        EndToEndBenchmark benchmark = new EndToEndBenchmark();
        benchmark.parse(args);
        benchmark.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--home" -> home = Path.of(value).toAbsolutePath();
                case "--scenarios" -> scenarios = List.of(value.split(","));
                case "--sessions" -> sessions = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--size", "--sizes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--count" -> count = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--reps" -> reps = Integer.parseInt(value);
                case "--targets" -> targets = List.of(value.split(","));
                case "--xmx" -> xmx = value;
                case "--karaf-java-opts" -> karafJavaOpts = value;
                case "--delivery" -> deliveryLines.add(value);
                case "--dkim" -> dkim = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home DIR (an unpacked Mailslot distribution) is required");
        }
        if (dkim != null) {
            scenarios = List.of("gateway");
            targets = List.of("mailslot");
        }
        for (String scenario : scenarios) {
            if (!scenario.equals("gateway") && !scenario.equals("local")) {
                throw new IllegalArgumentException("unknown scenario " + scenario + " (gateway, local)");
            }
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "End-to-end benchmark: scenarios %s, sizes %s octets, sessions %s, %d messages per"
                + " measurement, %d repetitions; Mailslot -Xmx%s; load average %s%n", scenarios, sizes, sessions, count,
                reps, xmx, Results.loadAverage());
        work = Files.createTempDirectory("mailslot-e2e-");
        try (CountingSink sink = new CountingSink(SINK_ADDRESS, SINK_PORT);
                PostfixPeer postfix = targets.contains("postfix") ? startPostfix() : null;
                MailslotServer mailslot = targets.contains("mailslot") ? startMailslot() : null) {
            Map<String, Server> servers = new LinkedHashMap<>();
            if (mailslot != null) {
                Path maildir = mailslot.home().resolve("data/mailslot/mailboxes").resolve(LOCAL_RECIPIENT);
                if (dkim == null) {
                    servers.put("mailslot", new Server("127.0.0.1", mailslot.port(), mailslot.pid(), maildir, null));
                } else {
                    servers.put("mailslot", new Server("127.0.0.1", submissionPort, mailslot.pid(), maildir, UNSIGNED_DOMAIN));
                    servers.put("mailslot-dkim", new Server("127.0.0.1", submissionPort, mailslot.pid(), maildir, DKIM_DOMAIN));
                }
            }
            if (postfix != null) {
                servers.put("postfix", new Server(POSTFIX_ADDRESS, POSTFIX_PORT, postfix.masterPid(), postfix.maildir(), null));
            }
            for (int size : sizes) {
                writeMessage(size);
                if (dkim != null) {
                    checkSigning(servers.get("mailslot"), false);
                    checkSigning(servers.get("mailslot-dkim"), true);
                }
                for (String scenario : scenarios) {
                    for (String target : List.of("mailslot", "mailslot-dkim")) {
                        if (servers.containsKey(target)) {
                            // JIT on Mailslot's side; file cache and processes on Postfix's.
                            measure(scenario, servers.get(target), sink, 8, warmup);
                        }
                    }
                    if (postfix != null) {
                        measure(scenario, servers.get("postfix"), sink, 8, Math.max(200, count / 4));
                    }
                    for (int rep = 0; rep < reps; rep++) {
                        for (int s : sessions) {
                            List<String> order = new ArrayList<>(servers.keySet());
                            if (rep % 2 == 1) {
                                java.util.Collections.reverse(order);
                            }
                            for (String target : order) {
                                Measurement m = measure(scenario, servers.get(target), sink, s, count);
                                String key = scenario + "/" + target + "/" + size + "/" + s;
                                results.record(key + "/e2e", m.endToEndRate(count));
                                results.record(key + "/accept", m.acceptRate(count));
                                results.record(key + "/cpu", m.cpuMillis() / (double) count);
                                System.out.printf(Locale.ROOT, "rep %d %-7s %-8s %6d octets %2d sessions: end to end"
                                        + " %6.0f msg/s, accepted %6.0f msg/s, %.2f CPU ms/msg; load %s%n", rep + 1,
                                        scenario, target, size, s, m.endToEndRate(count), m.acceptRate(count),
                                        m.cpuMillis() / (double) count, Results.loadAverage());
                            }
                        }
                    }
                }
            }
            System.out.println();
            System.out.println(dkim == null ? table() : signingTable());
        }
    }

    /**
     * A server under test: where smtp-source sends, whose processes to measure, where local mail lands;
     * with a From domain, a {@link SubmissionClient} sends instead, logged in, with From in that domain.
     */
    private record Server(String host, int port, long pid, Path maildir, String fromDomain) {
    }

    private record Measurement(long acceptNanos, long arrivalNanos, long cpuMillis) {
        double acceptRate(int messages) {
            return messages / (acceptNanos / 1e9);
        }

        double endToEndRate(int messages) {
            return messages / (arrivalNanos / 1e9);
        }
    }

    private Measurement measure(String scenario, Server server, CountingSink sink, int sessions, int messages)
            throws Exception {
        boolean gateway = scenario.equals("gateway");
        long sunk = sink.messages();
        long delivered = gateway ? 0 : maildirFiles(server.maildir());
        CpuTime cpu = CpuTime.of(server.pid());
        long cpuBefore = cpu.millis();
        long start = System.nanoTime();
        String recipient = gateway ? GATEWAY_RECIPIENT : LOCAL_RECIPIENT;
        long accepted = server.fromDomain() != null
                ? SubmissionClient.run(from(server.fromDomain()), server.host(), server.port(), sessions, messages,
                        SUBMISSION_USER, SUBMISSION_PASSWORD, SUBMISSION_USER + "@" + DKIM_DOMAIN, recipient)
                : SmtpSource.run(work.resolve("message.txt"), work.resolve("smtp-source.out"), server.host(),
                        server.port(), sessions, messages, SENDER, recipient);
        long arrived = gateway ? sink.awaitMessages(sunk + messages, ARRIVAL_TIMEOUT)
                : awaitMaildir(server.maildir(), delivered + messages);
        Measurement measurement = new Measurement(accepted, arrived - start, cpu.millis() - cpuBefore);
        if (!gateway) {
            emptyMaildir(server.maildir());
        }
        return measurement;
    }

    /** @return {@link System#nanoTime()} when the Maildir held the count (polled: a listing costs little at 20 ms) */
    private static long awaitMaildir(Path maildir, long expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
        long found;
        while ((found = maildirFiles(maildir)) < expected) {
            if (System.nanoTime() > deadline) {
                throw new PeerException(found + " of " + expected + " messages in " + maildir + " within " + ARRIVAL_TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return System.nanoTime();
    }

    private static long maildirFiles(Path maildir) throws IOException {
        long files = 0;
        for (String folder : List.of("new", "cur")) {
            Path dir = maildir.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    files += list.count();
                }
            }
        }
        return files;
    }

    /** Outside the timed window, so that listings stay short and no mailbox limit is reached. */
    private static void emptyMaildir(Path maildir) throws IOException {
        for (String folder : List.of("new", "cur")) {
            Path dir = maildir.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    for (Path file : list.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    /** Sends one message into the local Maildir and fails unless it is signed, or unsigned, as expected. */
    private void checkSigning(Server server, boolean signed) throws Exception {
        SubmissionClient.run(from(server.fromDomain()), server.host(), server.port(), 1, 1, SUBMISSION_USER,
                SUBMISSION_PASSWORD, SUBMISSION_USER + "@" + DKIM_DOMAIN, LOCAL_RECIPIENT);
        awaitMaildir(server.maildir(), 1);
        String delivered;
        try (Stream<Path> files = Files.list(server.maildir().resolve("new"))) {
            delivered = Files.readString(files.findFirst().orElseThrow(), StandardCharsets.ISO_8859_1);
        }
        emptyMaildir(server.maildir());
        if (delivered.contains("DKIM-Signature:") != signed) {
            throw new IllegalStateException("mail from " + server.fromDomain() + " arrived " + (signed ? "unsigned" : "signed")
                    + ":\n" + delivered.substring(0, Math.min(2000, delivered.length())));
        }
    }

    /** @return the message with its From field in this domain (as long as the original's) */
    private byte[] from(String domain) {
        String text = new String(message, StandardCharsets.US_ASCII);
        return text.replaceFirst("From: Bench Sender <[^@>]+@[^>]+>", "From: Bench Sender <" + SUBMISSION_USER + "@" + domain + ">")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void writeMessage(int size) throws IOException {
        message = RelayBenchmark.message(size);
        String text = new String(message, StandardCharsets.US_ASCII);
        // smtp-source -F sends each line with CRLF: the file has LF.
        Files.writeString(work.resolve("message.txt"), text.replace("\r\n", "\n"), StandardCharsets.US_ASCII);
    }

    private PostfixPeer startPostfix() {
        TestCa ca = TestCa.create();
        PostfixPeer postfix = PostfixPeer.builder()
                .address(POSTFIX_ADDRESS)
                .hostname("e2e.bench.test")
                .domains("local.bench")
                .certificate(ca.issueServer(POSTFIX_ADDRESS, "e2e.bench.test"))
                .port(Listener.RELAY, POSTFIX_PORT)
                .closed(Listener.SUBMISSIONS).closed(Listener.SUBMISSION).closed(Listener.ALTERNATE)
                .mainCf("transport_maps", "inline:{ gateway.bench=smtp:[" + SINK_ADDRESS + "]:" + SINK_PORT + " }")
                .mainCf("relay_domains", "gateway.bench")
                .mainCf("mynetworks", "127.0.0.0/8")
                .mainCf("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination")
                .mainCf("smtp_tls_security_level", "none")
                .mainCf("smtpd_tls_loglevel", "0")
                .mainCf("smtpd_client_connection_count_limit", "0")
                .mainCf("default_process_limit", "200")
                .mainCf("message_size_limit", "52428800")
                .start();
        System.out.printf("Postfix %s:%d (%s): gateway.bench by transport_maps to smtp-sink %s:%d, local.bench by"
                + " virtual(8) into %s%n", POSTFIX_ADDRESS, POSTFIX_PORT, postfix.configDirectory(), SINK_ADDRESS,
                SINK_PORT, postfix.maildir());
        return postfix;
    }

    private MailslotServer startMailslot() throws Exception {
        int port = MailslotServer.freePort();
        Map<String, String> configurations = new LinkedHashMap<>(Map.of(
                "org.mailslot.listener-mx.cfg", String.join("\n",
                        "# end-to-end benchmark: MTA-to-MTA rules (25) for the gateway and local domains",
                        "address = 127.0.0.1", "port = " + port, "strategy = 25",
                        "local.domains = local.bench, gateway.bench", "max.connections.per.client = 100",
                        "max.connections = 400", "max.message.size = 52428800", ""),
                "org.mailslot.port-sink.cfg", String.join("\n", "# the sink's port: MTA to MTA, STARTTLS when offered",
                        "port = " + SINK_PORT, "role = relay", "tls.mode = starttls-opportunistic", "auth.policy = none", ""),
                "org.mailslot.relay-sink.cfg", String.join("\n",
                        "host = " + SINK_ADDRESS, "ports = " + SINK_PORT, "domains = gateway.bench", ""),
                "org.mailslot.delivery.cfg", String.join("\n",
                        "local.domains = localhost, local.bench", "local.recipients = " + LOCAL_RECIPIENT,
                        "mailbox.size.limit = 0", String.join("\n", deliveryLines), "")));
        if (dkim != null) {
            configurations.putAll(signing());
        }
        MailslotServer mailslot = MailslotServer.start(home, port, xmx, karafJavaOpts, configurations);
        System.out.printf("Mailslot %s (pid %d, -Xmx%s) on 127.0.0.1:%d: gateway.bench over a relay route to smtp-sink,"
                + " local.bench into %s%n", home, mailslot.pid(), xmx, port,
                home.resolve("data/mailslot/mailboxes").resolve(LOCAL_RECIPIENT));
        return mailslot;
    }

    /** A submission listener, its user, and keys for {@link #DKIM_DOMAIN}: the files --dkim adds to etc/. */
    private Map<String, String> signing() throws Exception {
        submissionPort = MailslotServer.freePort();
        Files.writeString(home.resolve("etc/users.properties"), "\n" + SUBMISSION_USER + " = " + SUBMISSION_PASSWORD + "\n",
                StandardOpenOption.APPEND);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("org.mailslot.listener-submission.cfg", String.join("\n",
                "# end-to-end benchmark --dkim: submission (587 rules: STARTTLS, then AUTH) of the gateway's mail",
                "address = 127.0.0.1", "port = " + submissionPort, "strategy = 587",
                "sender.binding = login-must-match-local-part", "sender.domains = " + DKIM_DOMAIN + ", " + UNSIGNED_DOMAIN,
                "max.connections.per.client = 100", "max.connections = 400", "max.message.size = 52428800", ""));
        for (String selector : org.mailslot.dkim.internal.BenchmarkSigning.writeKeys(DKIM_DOMAIN, dkim,
                home.resolve("etc/mailslot/dkim"))) {
            files.put("org.mailslot.dkim-" + DKIM_DOMAIN + "-" + selector + ".cfg",
                    String.join("\n", "domain = " + DKIM_DOMAIN, "selector = " + selector, ""));
        }
        System.out.printf("Mailslot --dkim %s: submission on 127.0.0.1:%d (STARTTLS, AUTH as %s), From %s signed (%s),"
                + " From %s unsigned, both to the gateway%n", dkim, submissionPort, SUBMISSION_USER, DKIM_DOMAIN,
                files.keySet().stream().filter(f -> f.startsWith("org.mailslot.dkim-")).toList(), UNSIGNED_DOMAIN);
        return files;
    }

    private String signingTable() {
        StringBuilder out = new StringBuilder();
        out.append("| Size | Sessions | Mailslot unsigned end to end msg/s | Mailslot DKIM-signed (" + dkim + ") end to end msg/s"
                + " | signed / unsigned | accepted unsigned / signed msg/s | CPU ms/msg unsigned / signed |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            for (int s : sessions) {
                String u = "gateway/mailslot/" + size + "/" + s;
                String d = "gateway/mailslot-dkim/" + size + "/" + s;
                out.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %.0f %% | %.0f / %.0f | %.2f / %.2f |%n", size, s,
                        results.cell(u + "/e2e"), results.cell(d + "/e2e"),
                        100 * results.median(d + "/e2e") / results.median(u + "/e2e"), results.median(u + "/accept"),
                        results.median(d + "/accept"), results.median(u + "/cpu"), results.median(d + "/cpu")));
            }
        }
        out.append(String.format(Locale.ROOT, "%nMedian of %d runs (each run's rate in brackets); %d messages per"
                + " measurement; end to end = from the first connection until the last message is at the sink.%n", reps, count));
        return out.toString();
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append("| Scenario | Size | Sessions | Mailslot end to end msg/s | Postfix end to end msg/s | ratio"
                + " | Mailslot accepted msg/s | Postfix accepted msg/s | ratio | CPU ms/msg Mailslot / Postfix |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String scenario : scenarios) {
            for (int size : sizes) {
                for (int s : sessions) {
                    String m = scenario + "/mailslot/" + size + "/" + s;
                    String p = scenario + "/postfix/" + size + "/" + s;
                    out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %.2f | %s | %s | %.2f | %.2f / %.2f |%n",
                            scenario, size, s, results.cell(m + "/e2e"), results.cell(p + "/e2e"), results.median(m + "/e2e") / results.median(p + "/e2e"),
                            results.cell(m + "/accept"), results.cell(p + "/accept"), results.median(m + "/accept") / results.median(p + "/accept"),
                            results.median(m + "/cpu"), results.median(p + "/cpu")));
                }
            }
        }
        out.append(String.format(Locale.ROOT, "%nMedian of %d runs (each run's rate in brackets); %d messages per"
                + " measurement; end to end = from smtp-source's start until the last message is at the sink or in the"
                + " Maildir.%n", reps, count));
        return out.toString();
    }
}
