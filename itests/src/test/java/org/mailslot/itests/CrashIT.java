package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.experimental.categories.Category;

/**
 * The promise of the spool, tested on the shipped distribution: a {@code kill -9} of the Karaf
 * JVM while clients submit loses no message that was acknowledged with 250.
 *
 * <p>Not a Pax Exam test: it kills the JVM. It unpacks the built archive, replaces the embedded
 * listener by a submission listener (587 rules: STARTTLS, AUTH against the Karaf realm) on a free
 * port, and for each round starts {@code bin/karaf server}, drives concurrent sessions that record
 * a message's token only after the 250 reply to its DATA, and kills the JVM with SIGKILL in the
 * middle of the load. After a last start it waits until the spool is empty and every acknowledged
 * token is in the local Maildirs (at least once: duplicates are allowed and counted).
 */
@Category(OwnKaraf.class)
public class CrashIT {

    private static final int ROUNDS = Integer.getInteger("mailslot.crash.rounds", 3);
    private static final int CLIENTS = 8;
    /** Messages acknowledged in a round before the kill; the clients keep submitting while it lands. */
    private static final int PER_ROUND = 300;
    private static final String USER = "loader";
    private static final String PASSWORD = "crash-test-pass";
    private static final Pattern TOKEN = Pattern.compile("X-Crash-Token: (\\S+)");
    private static final Duration BOOT = Duration.ofSeconds(120);

    private Path home;
    private int port;
    private Process karaf;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();

    @Before
    public void unpack() throws Exception {
        String distribution = System.getProperty("mailslot.distribution");
        assertThat(distribution).as("system property mailslot.distribution").isNotNull();
        assertThat(new File(distribution)).as("the distribution archive; build karaf-assembly first").isFile();
        Files.createDirectories(Path.of("target"));
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-");
        run(List.of("tar", "xzf", distribution, "-C", home.toString(), "--strip-components=1"));
        port = MailslotTestSupport.freePort();
        // Replaces the embedded listener (127.0.0.1:10587, which a developer's own instance may hold).
        Files.writeString(home.resolve("etc/org.mailslot.listener-submission.cfg"),
                "address = 127.0.0.1\nport = " + port + "\nstrategy = 587\nlocal.domains = localhost\n");
        Files.writeString(home.resolve("etc/org.mailslot.delivery.cfg"), "local.domains = localhost\nlocal.recipients = crash*\n");
        replaceLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + MailslotTestSupport.freePort());
        Files.writeString(home.resolve("etc/users.properties"), "\n" + USER + " = " + PASSWORD + ",viewer\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    @After
    public void killStray() {
        if (karaf != null) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
            await().until(() -> !karaf.isAlive());
        }
        if (home != null && !Boolean.getBoolean("mailslot.crash.keep")) {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // A leftover directory under target/ harms no one.
            }
        }
    }

    @Test
    public void everyAcknowledgedMessageIsDeliveredAfterKillsDuringLoad() throws Exception {
        int killedInFlight = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            start();
            int target = acknowledged.size() + PER_ROUND;
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Thread thread = new Thread(() -> submitUntilStopped(client, stop), "crash-client-" + i);
                thread.start();
                clients.add(thread);
            }
            await().until(() -> acknowledged.size() >= target);
            long pid = karaf.pid();
            // SIGKILL, as kill -9: no shutdown hook, no bundle stop, nothing flushed.
            karaf.destroyForcibly();
            await().until(() -> !karaf.isAlive());
            stop.set(true);
            for (Thread thread : clients) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            killedInFlight += spooled();
            System.out.printf("round %d: killed pid %d with %d acknowledged in total, %d spool files%n",
                    round, pid, acknowledged.size(), spooled());
        }

        start();
        await().atMost(Duration.ofMinutes(3)).until(() -> spooled() == 0 && delivered().keySet().containsAll(acknowledged));
        Map<String, Integer> delivered = delivered();
        long duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("%d acknowledged, %d distinct delivered, %d duplicates, %d spool files at the kills%n",
                acknowledged.size(), delivered.size(), duplicates, killedInFlight);

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ROUNDS * PER_ROUND);
        assertThat(delivered.keySet()).containsAll(acknowledged);
        // Nothing invented: every delivered token was at least sent (acknowledged or cut off by a kill).
        assertThat(delivered.keySet()).allMatch(token -> token.startsWith("m"));
    }

    private void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        // exec: the process this test holds is the Karaf JVM itself, not a shell around it.
        builder.environment().put("KARAF_EXEC", "exec");
        // Karaf 4.4's bin/karaf ignores JAVA_MAX_MEM; the heap is set where its scripts read it.
        builder.environment().put("EXTRA_JAVA_OPTS", "-Xmx512m");
        karaf = builder.start();
        await().atMost(BOOT).until(() -> {
            assertThat(karaf.isAlive()).as("Karaf is running; see " + home.resolve("console.log")).isTrue();
            return greets();
        });
    }

    private boolean greets() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return greeting != null && greeting.startsWith("220 ");
        } catch (IOException e) {
            return false;
        }
    }

    /** One client: a session (STARTTLS, AUTH) sending message after message until stopped or cut off. */
    private void submitUntilStopped(int client, AtomicBoolean stop) {
        String recipient = "crash" + (client % 4) + "@localhost";
        while (!stop.get()) {
            try (MtaClient session = MtaClient.submit(port, USER, PASSWORD)) {
                while (!stop.get()) {
                    String token = "m" + sequence.incrementAndGet();
                    // The login may send as itself only (sender.binding, on by default).
                    String reply = session.send(USER + "@localhost", recipient, message(token, client));
                    if (reply.startsWith("250 ")) {
                        acknowledged.add(token);
                    } else {
                        throw new IOException("DATA answered " + reply);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The kill cut the session off; what was not answered 250 was never promised. Reconnect
                // (refused until the next start, which this round never sees).
                if (!stop.get()) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static String message(String token, int client) {
        StringBuilder text = new StringBuilder()
                .append("From: <client").append(client).append("@localhost>\r\n")
                .append("Subject: crash test ").append(token).append("\r\n")
                .append("X-Crash-Token: ").append(token).append("\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            text.append("Line ").append(i).append(" of a message that must survive a kill -9.\r\n");
        }
        return text.toString();
    }

    private int spooled() throws IOException {
        Path queue = home.resolve("data/mailslot/spool/queue");
        if (!Files.isDirectory(queue)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(queue)) {
            // A message of its own (.msg), or small ones sharing a segment (.seg), deleted with its last message.
            return (int) files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".msg") || n.endsWith(".seg")).count();
        }
    }

    /** @return token → how many copies are in the local Maildirs */
    private Map<String, Integer> delivered() throws IOException {
        Map<String, Integer> found = new HashMap<>();
        Path mailboxes = home.resolve("data/mailslot/mailboxes");
        if (!Files.isDirectory(mailboxes)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(mailboxes)) {
            for (Path file : files.filter(f -> f.getParent().getFileName().toString().equals("new"))
                    .filter(Files::isRegularFile).toList()) {
                Matcher m = TOKEN.matcher(Files.readString(file, StandardCharsets.UTF_8));
                if (m.find()) {
                    found.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return found;
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> e instanceof UncheckedIOException);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + " printed: " + output).isZero();
    }

    private static void replaceLine(Path file, String key, String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.replaceAll(l -> l.trim().startsWith(key) ? line : l);
        Files.write(file, lines);
    }
}
