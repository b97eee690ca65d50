package org.mailslot.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.openpgp.internal.OpenPgpService;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.Gpg;
import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.Sop;
import org.mailslot.testing.peers.ToolRun;

/**
 * OpenPGP throughput, three implementations on the same inputs in the same run: Mailslot's
 * {@code mailslot-openpgp} (PGP/MIME, in process, warmed up), GnuPG ({@code gpg --compress-algo
 * none}, one process per message, as a mail system calling it would) and Sequoia's {@code sqop}
 * (one process per message). Encrypt-and-sign and decrypt-and-verify, ASCII armored everywhere:
 * MB/s on a 10 MiB message (median of the runs, the three taking turns) and messages/s at 4 KiB. Ed25519/Cv25519 keys,
 * AES-256 (Mailslot) and each tool's default cipher.
 *
 * <p>Usage: {@code OpenPgpBenchmark [--runs N] [--small N] [--large-mib N]}
 */
public final class OpenPgpBenchmark {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    private static final MailAddress BOB = MailAddress.parse("bob@example.org");

    private final Path work;
    private final int runs;
    private final int small;
    private final int largeBytes;
    private final Gpg gpg;
    private final Sop sqop;
    private final OpenPgpService mailslot;
    private String gpgBob;
    private String aliceId;
    private Path sopKey;
    private Path sopCert;
    private Path aliceCert;

    private OpenPgpBenchmark(Path work, int runs, int small, int largeBytes) throws IOException {
        this.work = work;
        this.runs = runs;
        this.small = small;
        this.largeBytes = largeBytes;
        this.gpg = Gpg.inHome(work.resolve("gnupg"));
        this.sqop = new Sop("sqop", work.resolve("sop"));
        this.mailslot = new OpenPgpService(ComponentConfig.of(OpenPgpService.Config.class, Map.of()));
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int small = 200;
        int largeMib = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--small" -> small = Integer.parseInt(args[++i]);
                case "--large-mib" -> largeMib = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --runs N, --small N, --large-mib N");
            }
        }
        Path work = Files.createTempDirectory("openpgp-bench-");
        System.setProperty("karaf.etc", work.resolve("etc").toString());
        OpenPgpBenchmark benchmark = new OpenPgpBenchmark(work, runs, small, largeMib << 20);
        try {
            benchmark.run();
        } finally {
            benchmark.gpg.close();
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void run() throws Exception {
        gpgBob = gpg.generateKey("<bob@example.org>", "1y");
        KeyInfo alice = mailslot.generate(ALICE);
        aliceId = alice.id();
        aliceCert = work.resolve("alice.asc");
        Files.writeString(aliceCert, mailslot.exportPublic(aliceId).orElseThrow());
        gpg.importKeys(Files.readAllBytes(aliceCert));
        ((CryptoKeys) mailslot).importKeys(gpg.exportPublic(gpgBob), null);
        sopKey = sqop.generateKey("<carol@example.org>");
        sopCert = sqop.extractCert(sopKey);

        byte[] large = entity(largeBytes);
        byte[] smallEntity = entity(4096);
        System.out.printf(Locale.ROOT, "Java %s, %d cores; %d runs of %d MiB, %d messages of 4 KiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs, largeBytes >> 20, small);

        warmUp(large, smallEntity);
        List<String> rows = new ArrayList<>();
        rows.add(row("encrypt+sign 10 MiB (MB/s)", largeBytes, this::mailslotEncrypt, this::gpgEncrypt, this::sqopEncrypt, large));
        rows.add(row("decrypt+verify 10 MiB (MB/s)", largeBytes, this::mailslotDecrypt, this::gpgDecrypt, this::sqopDecrypt, large));
        rows.add(rateRow("encrypt+sign 4 KiB (msg/s)", this::mailslotEncrypt, this::gpgEncrypt, this::sqopEncrypt, smallEntity));
        rows.add(rateRow("decrypt+verify 4 KiB (msg/s)", this::mailslotDecrypt, this::gpgDecrypt, this::sqopDecrypt, smallEntity));
        System.out.println();
        System.out.println("| measure | Mailslot | gpg | sqop | Mailslot / gpg | Mailslot / sqop |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** One operation on one input, prepared outside the timing. */
    @FunctionalInterface
    private interface Operation {
        Runnable prepare(byte[] entity) throws Exception;
    }

    private void warmUp(byte[] large, byte[] smallEntity) throws Exception {
        for (int i = 0; i < 3; i++) {
            mailslotEncrypt(large).run();
            mailslotDecrypt(large).run();
        }
        for (int i = 0; i < 2000; i++) {
            mailslotEncrypt(smallEntity).run();
            mailslotDecrypt(smallEntity).run();
        }
        gpgDecrypt(smallEntity).run(); // starts gpg-agent
    }

    /** Runs the three in turn, run after run, so that load from elsewhere falls on all of them alike. */
    private String row(String name, int bytes, Operation mailslotOp, Operation gpgOp, Operation sqopOp, byte[] input)
            throws Exception {
        Runnable[] prepared = {mailslotOp.prepare(input), gpgOp.prepare(input), sqopOp.prepare(input)};
        double[][] seconds = new double[3][runs];
        for (int run = 0; run < runs; run++) {
            for (int tool = 0; tool < 3; tool++) {
                long start = System.nanoTime();
                prepared[tool].run();
                seconds[tool][run] = (System.nanoTime() - start) / 1e9;
            }
        }
        double m = bytes / 1e6 / median(seconds[0]);
        double g = bytes / 1e6 / median(seconds[1]);
        double s = bytes / 1e6 / median(seconds[2]);
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | **%.2f×** | %.2f× |", name, m, g, s, m / g, m / s);
    }

    /** Messages per second, the three taking turns in {@code runs} rounds; Mailslot does 20 times as many. */
    private String rateRow(String name, Operation mailslotOp, Operation gpgOp, Operation sqopOp, byte[] input)
            throws Exception {
        Runnable[] prepared = {mailslotOp.prepare(input), gpgOp.prepare(input), sqopOp.prepare(input)};
        int[] perRound = {Math.max(1, small * 20 / runs), Math.max(1, small / runs), Math.max(1, small / runs)};
        double[] seconds = new double[3];
        for (int round = 0; round < runs; round++) {
            for (int tool = 0; tool < 3; tool++) {
                long start = System.nanoTime();
                for (int i = 0; i < perRound[tool]; i++) {
                    prepared[tool].run();
                }
                seconds[tool] += (System.nanoTime() - start) / 1e9;
            }
        }
        double m = perRound[0] * runs / seconds[0];
        double g = perRound[1] * runs / seconds[1];
        double s = perRound[2] * runs / seconds[2];
        return String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | **%.0f×** | %.0f× |", name, m, g, s, m / g, m / s);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    // Mailslot: a whole PGP/MIME message in, a whole message out.

    private Runnable mailslotEncrypt(byte[] entity) {
        byte[] message = message("alice@example.org", "bob@example.org", entity);
        return () -> {
            try {
                drain(mailslot.protect(ALICE, List.of(BOB), Protection.SIGN_AND_ENCRYPT, MessageSource.of(message)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private Runnable mailslotDecrypt(byte[] entity) {
        byte[] armored = gpg.encrypt(entity, gpgBob, aliceId);
        byte[] message = pgpMime("bob@example.org", "alice@example.org", armored);
        return () -> {
            try {
                OpenedMessage opened = mailslot.open(MessageSource.of(message));
                if (opened.verification().status() != VerificationStatus.VALID) {
                    throw new IllegalStateException("not verified: " + opened.verification().detail());
                }
                drain(opened.content());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    // gpg: one process per message, as a mail system shelling out would run it.

    private Runnable gpgEncrypt(byte[] entity) {
        return () -> gpg.encrypt(entity, gpgBob, aliceId, gpgBob);
    }

    private Runnable gpgDecrypt(byte[] entity) throws Exception {
        byte[] message = OpenPgpBenchmark.armoredPart(drainToBytes(mailslot.protect(ALICE, List.of(BOB),
                Protection.SIGN_AND_ENCRYPT, MessageSource.of(message("alice@example.org", "bob@example.org", entity)))));
        return () -> {
            ToolRun run = gpg.decrypt(message);
            if (!run.succeeded() || !run.stderr().contains("GOODSIG")) {
                throw new PeerException(run.describe());
            }
        };
    }

    // sqop: one process per message.

    private Runnable sqopEncrypt(byte[] entity) {
        return () -> sqop.encrypt(entity, sopKey, sopCert);
    }

    private Runnable sqopDecrypt(byte[] entity) {
        byte[] ciphertext = sqop.encrypt(entity, sopKey, sopCert);
        return () -> {
            Sop.Decryption decryption = sqop.decrypt(ciphertext, sopKey, sopCert);
            if (!decryption.run().succeeded() || decryption.verifications().isBlank()) {
                throw new PeerException(decryption.run().describe());
            }
        };
    }

    // Inputs.

    private static byte[] entity(int bodyBytes) {
        Random random = new Random(42);
        StringBuilder body = new StringBuilder(bodyBytes + 100);
        body.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (body.length() < bodyBytes) {
            for (int i = 0; i < 76; i++) {
                body.append((char) ('!' + random.nextInt(94)));
            }
            body.append("\r\n");
        }
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] message(String from, String to, byte[] entity) {
        byte[] head = ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: benchmark\r\nDate: Sat, 28 Nov 2026 04:00:00 +0000\r\n"
                + "Message-ID: <bench@example.org>\r\nMIME-Version: 1.0\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + entity.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return all;
    }

    private static byte[] pgpMime(String from, String to, byte[] armored) {
        String head = "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: benchmark\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\n\r\n";
        String text = head + new String(armored, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n")
                + "\r\n--b1--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the armored OpenPGP message of a PGP/MIME encrypted message */
    private static byte[] armoredPart(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = text.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length();
        return (text.substring(begin, end) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void drain(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static byte[] drainToBytes(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }
}
