package org.mailslot.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.management.OperatingSystemMXBean;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.Route;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.KnotPeer;
import org.mailslot.testing.peers.NginxPeer;
import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.Processes;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.testing.peers.UnboundPeer;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.DestinationTls;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicies;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.mailslot.transport.internal.mtasts.MtaStsComponent;

/**
 * MX delivery with {@code tls.security.level = dane} and MTA-STS against the same with {@code may},
 * to the Postfix peer as the MX host of a DNSSEC-signed domain (knot signs it, unbound validates it)
 * on 127.0.0.2:25, STARTTLS both ways, connections pooled. The domain publishes an MTA-STS policy in
 * enforce mode (nginx serves it on 127.0.0.21:443); a third variant, {@code may} with MTA-STS,
 * delivers under that policy alone. Each message is one {@code deliver()} call: an MX lookup through
 * unbound for every variant; the MTA-STS policy (cached); for {@code dane}, the DNSSEC-validated MX,
 * address and TLSA answers (cached for their TTL) and the TLSA check of every new connection. Variants
 * are interleaved, after a warm-up; the median of the repetitions is reported.
 *
 * <p>Usage: {@code DaneBenchmark [--count N] [--reps N] [--threads 1,4]}.
 */
public final class DaneBenchmark {

    private static final String RECIPIENT = "rcpt@dane.test";
    private static final OperatingSystemMXBean CPU = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String SENDER = "sender@bench.test";

    private int count = 2000;
    private int reps = 3;
    private List<Integer> threads = List.of(1, 4);

    public static void main(String[] args) throws Exception {
        DaneBenchmark benchmark = new DaneBenchmark();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--count" -> benchmark.count = Integer.parseInt(value);
                case "--reps" -> benchmark.reps = Integer.parseInt(value);
                case "--threads" -> benchmark.threads = Arrays.stream(value.split(",")).map(String::strip)
                        .map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + "; usage: DaneBenchmark [--count N] [--reps N] [--threads 1,4]");
            }
        }
        benchmark.run();
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("mailslot-dane-bench");
        TestCa ca = TestCa.create();
        IssuedCertificate mx = ca.issueServer(PostfixPeer.DEFAULT_ADDRESS, "mx.dane.test");
        Path certificate = mx.writeChainPem(work.resolve("mx.pem"));
        String spki = Processes.runChecked(Duration.ofSeconds(10), "sh", "-c", "openssl x509 -in " + certificate
                + " -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1")
                .output().strip();
        try (PostfixPeer postfix = PostfixPeer.builder().certificate(mx).domains("dane.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE)
                .mainCf("smtpd_tls_loglevel", "0").start();
                NginxPeer nginx = NginxPeer.builder().site("mta-sts.dane.test", ca.issueServer("mta-sts.dane.test"))
                        .file("mta-sts.dane.test", ".well-known/mta-sts.txt",
                                "version: STSv1\nmode: enforce\nmx: mx.dane.test\nmax_age: 86400\n").start();
                KnotPeer knot = KnotPeer.builder().signedZone("dane.test", "@ MX 10 mx\nmx A "
                        + PostfixPeer.DEFAULT_ADDRESS + "\n_25._tcp.mx TLSA 3 1 1 " + spki + "\n"
                        + "_mta-sts TXT \"v=STSv1; id=20261207\"\nmta-sts A " + NginxPeer.DEFAULT_ADDRESS + "\n").start()) {
            UnboundPeer.Builder resolverBuilder = UnboundPeer.builder().stubZones(knot);
            knot.ds("dane.test").forEach(resolverBuilder::trustAnchor);
            try (UnboundPeer unbound = resolverBuilder.start()) {
                // A benchmark stopped by a signal still stops its peers: a Postfix left on 127.0.0.2:25
                // would answer the next test that starts one there.
                Thread stopPeers = new Thread(() -> {
                    unbound.close();
                    knot.close();
                    nginx.close();
                    postfix.close();
                }, "stop-peers");
                Runtime.getRuntime().addShutdownHook(stopPeers);
                TlsServiceImpl tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                        "identity.pkcs12", ca.issueServer("client.bench.test").writePkcs12(work.resolve("client.p12"),
                                "client", "secret".toCharArray()).toString(),
                        ".identity.pkcs12.password", "secret",
                        "trust.pem", ca.writeCertificatePem(work.resolve("ca.pem")).toString(),
                        "trust.jdk.defaults", false, "self.signed.enabled", false, "reload.interval.seconds", 0)));
                int maxThreads = threads.stream().mapToInt(Integer::intValue).max().orElse(1);
                MtaStsComponent mtaSts = new MtaStsComponent(ComponentConfig.of(MxRouting.Config.class, Map.of(
                        "resolver", unbound.resolver(), "mta-sts.directory", work.resolve("mta-sts").toString())), tls);
                Map<String, SmtpMailTransport> variants = new LinkedHashMap<>();
                variants.put("may", transport(tls, routing(unbound.resolver(), "may", maxThreads,
                        MtaStsPolicies.NONE_PUBLISHED)));
                variants.put("mta-sts", transport(tls, routing(unbound.resolver(), "may", maxThreads, mtaSts)));
                variants.put("dane", transport(tls, routing(unbound.resolver(), "dane", maxThreads, mtaSts)));
                for (Map.Entry<String, SmtpMailTransport> variant : variants.entrySet()) {
                    DeliveryResult first = variant.getValue().deliver(Envelope.builder().from(SENDER).to(RECIPIENT).build(),
                            MessageSource.of(message()), variant.getValue().routeFor(MailAddress.parse(RECIPIENT)));
                    System.out.println(variant.getKey() + ": " + first.recipients().get(0).tlsPolicy().orElseThrow());
                }
                byte[] message = message();
                for (Map.Entry<String, SmtpMailTransport> variant : variants.entrySet()) {
                    long nanos = deliverAll(variant.getValue(), message, maxThreads, count / 2);
                    System.out.printf("Warm-up %s: %d messages in %.1f s%n", variant.getKey(), count / 2, nanos / 1e9);
                }
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                for (int rep = 0; rep < reps; rep++) {
                    for (int conns : threads) {
                        List<String> order = new ArrayList<>(variants.keySet());
                        if (rep % 2 == 1) {
                            Collections.reverse(order);
                        }
                        for (String level : order) {
                            long cpuBefore = CPU.getProcessCpuTime();
                            double rate = count / (deliverAll(variants.get(level), message, conns, count) / 1e9);
                            rates.computeIfAbsent(level + " " + conns, k -> new ArrayList<>()).add(rate);
                            cpu.computeIfAbsent(level + " " + conns, k -> new ArrayList<>())
                                    .add((CPU.getProcessCpuTime() - cpuBefore) / 1e3 / count);
                        }
                    }
                }
                System.out.println();
                System.out.println("| Threads | `may` msg/s | MTA-STS msg/s | DANE + MTA-STS msg/s | MTA-STS / may"
                        + " | DANE + MTA-STS / may |");
                System.out.println("|---:|---:|---:|---:|---:|---:|");
                for (int conns : threads) {
                    List<Double> may = rates.get("may " + conns);
                    List<Double> sts = rates.get("mta-sts " + conns);
                    List<Double> dane = rates.get("dane " + conns);
                    System.out.printf("| %d | **%.0f** %s | **%.0f** %s | **%.0f** %s | %.0f %% | %.0f %% |%n", conns,
                            median(may), brackets(may), median(sts), brackets(sts), median(dane), brackets(dane),
                            100 * median(sts) / median(may), 100 * median(dane) / median(may));
                }
                System.out.println();
                System.out.println("Client CPU per message (this JVM, all threads), µs:");
                System.out.println();
                System.out.println("| Threads | `may` | MTA-STS | DANE + MTA-STS |");
                System.out.println("|---:|---:|---:|---:|");
                for (int conns : threads) {
                    System.out.printf("| %d | %.0f %s | %.0f %s | %.0f %s |%n", conns, median(cpu.get("may " + conns)),
                            brackets(cpu.get("may " + conns)), median(cpu.get("mta-sts " + conns)),
                            brackets(cpu.get("mta-sts " + conns)), median(cpu.get("dane " + conns)),
                            brackets(cpu.get("dane " + conns)));
                }
                System.out.println();
                System.out.println(postfix.maildir() + ": " + postfix.messages().size() + " messages delivered");
                variants.values().forEach(SmtpMailTransport::deactivate);
                mtaSts.deactivate();
                Runtime.getRuntime().removeShutdownHook(stopPeers);
            }
        } finally {
            Processes.runChecked(Duration.ofSeconds(30), "rm", "-rf", work.toString());
        }
    }

    private static SmtpMailTransport transport(TlsServiceImpl tls, MxRouting routing) {
        SmtpMailTransport transport = new SmtpMailTransport(tls, Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        transport.setMx(routing);
        return transport;
    }

    private static MxRouting routing(String resolver, String level, int poolSize, MtaStsPolicies mtaSts) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(), false, Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        return new MxRouting(new DnsMxResolver(resolver, Duration.ofSeconds(5)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ofMinutes(10), Duration.ofMinutes(10),
                Optional.of("client.bench.test")), poolSize,
                TlsPolicies.parse("MX delivery: ", level, new String[0], () -> mtaSts),
                new DestinationTls(new DnssecLookups(resolver, Duration.ofSeconds(5), Clock.systemUTC())));
    }

    private static byte[] message() {
        StringBuilder text = new StringBuilder("From: " + SENDER + "\r\nTo: " + RECIPIENT
                + "\r\nSubject: dane benchmark\r\n\r\n");
        while (text.length() < 1024 - 78) {
            text.append("x".repeat(76)).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** @return nanoseconds for {@code count} deliveries by {@code conns} threads */
    private static long deliverAll(SmtpMailTransport transport, byte[] message, int conns, int count) throws Exception {
        Envelope envelope = Envelope.builder().from(SENDER).to(RECIPIENT).build();
        Route route = transport.routeFor(MailAddress.parse(RECIPIENT));
        MessageSource source = MessageSource.of(message);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<DeliveryResult> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(conns);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < conns; t++) {
                futures.add(pool.submit(() -> {
                    while (next.getAndIncrement() < count && failure.get() == null) {
                        DeliveryResult result = transport.deliver(envelope, source, route);
                        if (!result.allAccepted()) {
                            failure.compareAndSet(null, result);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(300, TimeUnit.SECONDS);
            }
            if (failure.get() != null) {
                throw new PeerException("a delivery failed: " + failure.get());
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String brackets(List<Double> values) {
        return "(" + String.join(", ", values.stream().map(v -> String.format("%.0f", v)).toList()) + ")";
    }
}
