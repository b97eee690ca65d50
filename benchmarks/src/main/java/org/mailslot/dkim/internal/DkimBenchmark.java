package org.mailslot.dkim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.EdECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.testing.peers.ToolRun;

/**
 * DKIM signing and verification rates: Mailslot's dkim-sign stage and verifier (in process, warmed
 * up, one thread; key answers cached as the verifier caches DNS) against python3-dkim's sign and
 * verify (in process, a loop over the same message, keys from a dictionary), on the same messages
 * (1 KB and 100 KB) and keys, RSA 2048 and Ed25519, relaxed/relaxed. Prints a markdown table.
 *
 * <p>It lives in mailslot-dkim's package because the parts it measures are package-private there;
 * on this plain class path that is allowed.
 *
 * <p>Options: {@code --seconds N} per Mailslot measurement (default 3), {@code --python-count N}
 * messages per python3-dkim measurement at 1 KB (default 300; a tenth of that at 100 KB).
 */
public final class DkimBenchmark {

    private static final String DOMAIN = "bench.test";
    private static final Clock CLOCK = Clock.systemUTC();

    private static final String PYTHON = """
            import sys, time, dkim
            mode, algorithm, selector, keyfile, messagefile, count = sys.argv[1:7]
            record = sys.argv[7].encode() if len(sys.argv) > 7 else b''
            count = int(count)
            message = open(messagefile, 'rb').read()
            key = open(keyfile, 'rb').read()
            def txt(name, timeout=5):
                return record
            def once():
                if mode == 'sign':
                    return dkim.sign(message, selector.encode(), b'bench.test', key,
                                     canonicalize=(b'relaxed', b'relaxed'), signature_algorithm=algorithm.encode())
                if not dkim.verify(message, dnsfunc=txt):
                    raise SystemExit('verification failed')
            for _ in range(max(3, count // 10)):
                once()
            start = time.process_time()
            for _ in range(count):
                once()
            print(count / (time.process_time() - start))
            """;

    private final double seconds;
    private final int pythonCount;
    private final Path dir;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private DkimBenchmark(double seconds, int pythonCount, Path dir) {
        this.seconds = seconds;
        this.pythonCount = pythonCount;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        double seconds = 3;
        int pythonCount = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--python-count" -> pythonCount = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--seconds N, --python-count N)");
            }
        }
        Path dir = Files.createTempDirectory("dkim-bench-");
        try {
            new DkimBenchmark(seconds, pythonCount, dir).run();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Key(String selector, KeyFile key, Path peerFile) {
    }

    private void run() throws Exception {
        // RSA as openssl writes it (PKCS#1, which both read); Ed25519 for dkimpy as its base64 seed.
        Path rsaPem = dir.resolve("rsa.pem");
        ToolRun.run(Duration.ofSeconds(60), null, Map.of(), List.of("openssl", "genrsa", "-traditional", "-out",
                rsaPem.toString(), "2048")).orThrow();
        KeyFile ed = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        Path edSeed = dir.resolve("ed.key");
        Files.writeString(edSeed, Base64.getEncoder().encodeToString(
                ((EdECPrivateKey) ed.privateKey()).getBytes().orElseThrow()));
        Files.createDirectories(dir.resolve("etc/mailslot/dkim"));
        Files.copy(rsaPem, dir.resolve("etc/mailslot/dkim/" + DOMAIN + "-rsa.pem"));
        ed.write(dir.resolve("etc/mailslot/dkim/" + DOMAIN + "-ed.pem"));
        Key rsa = new Key("rsa", KeyFile.read(rsaPem), rsaPem);
        Key edKey = new Key("ed", ed, edSeed);
        Map<String, String> records = Map.of("rsa._domainkey." + DOMAIN, rsa.key().dnsRecord(),
                "ed._domainkey." + DOMAIN, ed.dnsRecord());
        KeyLookup cached = CachedDkim.cachedKeys(records, CLOCK);

        Map<String, List<Key>> variants = new LinkedHashMap<>();
        variants.put("rsa-sha256", List.of(rsa));
        variants.put("ed25519-sha256", List.of(edKey));
        variants.put("dual", List.of(edKey, rsa));

        System.out.println("| message | signature | Mailslot sign msg/s | dkimpy sign msg/s | sign ratio"
                + " | Mailslot verify msg/s | dkimpy verify msg/s | verify ratio |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (int size : new int[] {1024, 102400}) {
            byte[] message = message(size);
            Path messageFile = dir.resolve("message-" + size + ".eml");
            Files.write(messageFile, message);
            for (Map.Entry<String, List<Key>> variant : variants.entrySet()) {
                DkimSigningProcessor processor = processor(variant.getValue());
                byte[] signed = drain(processor.process(envelope(), MessageSource.of(message)));
                List<DkimSignatureResult> check = new Verifier(cached, CLOCK).verify(MessageSource.of(signed))
                        .signatures();
                if (check.size() != variant.getValue().size() || !check.stream().allMatch(DkimSignatureResult::passed)) {
                    throw new IllegalStateException("Mailslot's own signature does not verify: " + check);
                }
                double mailslotSign = rate(() -> drain(processor.process(envelope(), MessageSource.of(message))));
                Verifier verifier = new Verifier(cached, CLOCK);
                double mailslotVerify = rate(() -> verifier.verify(MessageSource.of(signed)));
                int count = size > 10_000 ? Math.max(10, pythonCount / 10) : pythonCount;
                String python = "-";
                String pythonVerify = "-";
                String signRatio = "-";
                String verifyRatio = "-";
                if (variant.getValue().size() == 1) {
                    Key key = variant.getValue().get(0);
                    Path signedFile = dir.resolve("signed-" + size + "-" + key.selector() + ".eml");
                    Files.write(signedFile, signed);
                    double pySign = python("sign", variant.getKey(), key, messageFile, count, null);
                    double pyVerify = python("verify", variant.getKey(), key, signedFile, count,
                            records.get(key.selector() + "._domainkey." + DOMAIN));
                    python = String.format("%.0f", pySign);
                    pythonVerify = String.format("%.0f", pyVerify);
                    signRatio = String.format("%.1f×", mailslotSign / pySign);
                    verifyRatio = String.format("%.1f×", mailslotVerify / pyVerify);
                }
                System.out.printf("| %s | %s | %.0f | %s | %s | %.0f | %s | %s |%n", size == 1024 ? "1 KB" : "100 KB",
                        variant.getKey(), mailslotSign, python, signRatio, mailslotVerify, pythonVerify, verifyRatio);
            }
        }
    }

    private DkimSigningProcessor processor(List<Key> keys) {
        DkimSigningProcessor processor = new DkimSigningProcessor(new SigningConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SigningConfig.class;
            }

            @Override
            public String missing_key() {
                return "wait";
            }

            @Override
            public String canonicalization() {
                return "relaxed/relaxed";
            }
        }, CLOCK);
        for (Key key : keys) {
            processor.bindKey(new ConfiguredKey(new DkimKeyConfig() {
                @Override
                public Class<? extends Annotation> annotationType() {
                    return DkimKeyConfig.class;
                }

                @Override
                public String domain() {
                    return DOMAIN;
                }

                @Override
                public String selector() {
                    return key.selector();
                }

                @Override
                public String key() {
                    return "";
                }

                @Override
                public String algorithm() {
                    return "";
                }
            }, dir.resolve("etc/mailslot/dkim")));
        }
        return processor;
    }

    private static Envelope envelope() {
        return Envelope.builder().from("alice@" + DOMAIN)
                .authenticatedSender(org.mailslot.api.mail.MailAddress.parse("alice@" + DOMAIN)).to("bob@example.net")
                .build();
    }

    private static byte[] drain(ProcessingResult result) throws IOException {
        if (result.message().isEmpty()) {
            throw new IllegalStateException("not signed: " + result);
        }
        try (InputStream in = result.message().get().open()) {
            return in.readAllBytes();
        }
    }

    @FunctionalInterface
    private interface Work {
        Object once() throws Exception;
    }

    /** @return operations per second of this thread's processor time, after a warm-up of the same length */
    private double rate(Work work) throws Exception {
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end;) {
            work.once();
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long count = 0;
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; count++) {
            work.once();
        }
        return count / ((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
    }

    private double python(String mode, String algorithm, Key key, Path message, int count, String record)
            throws IOException {
        Path script = dir.resolve("bench.py");
        Files.writeString(script, PYTHON, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), mode, algorithm,
                key.selector(), key.peerFile().toString(), message.toString(), String.valueOf(count)));
        if (record != null) {
            command.add(record);
        }
        ToolRun run = ToolRun.run(Duration.ofMinutes(10), null, Map.of(), command).orThrow();
        return Double.parseDouble(run.stdoutText().strip());
    }

    /** @return a message of exactly this many octets: headers, then 76-character lines */
    static byte[] message(int size) {
        String headers = "From: Alice <alice@" + DOMAIN + ">\r\nTo: Bob <bob@example.net>\r\nSubject: DKIM benchmark\r\n"
                + "Date: Mon, 07 Dec 2026 04:00:00 +0000\r\nMessage-ID: <" + size + "@" + DOMAIN + ">\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
        StringBuilder text = new StringBuilder(headers);
        String line = "The quick brown fox jumps over the lazy dog;  spaces\tand tabs, relaxed....";
        while (text.length() + line.length() + 2 <= size) {
            text.append(line, 0, 74).append("\r\n");
        }
        while (text.length() < size - 2) {
            text.append('x');
        }
        text.append("\r\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
