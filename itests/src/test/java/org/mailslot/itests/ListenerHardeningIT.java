package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * What an attack run against the distribution found on its SMTP listeners, each replayed against
 * a listener configured as the listener's README shows: the 25-type listener lets no authenticated
 * user send as another, slow clients cannot hold it, failed AUTH is logged, port 0 is refused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ListenerHardeningIT extends MailslotTestSupport {

    private final List<Socket> dribblers = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @After
    public void cleanUp() throws IOException {
        trickle.shutdownNow();
        for (Socket dribbler : dribblers) {
            dribbler.close();
        }
        deleteCreatedConfigurations();
    }

    @Test
    public void anAuthenticatedUserCannotSendAsSomeoneElseOnARelayListener() throws Exception {
        int port = relayListener("mx", Map.of());

        Result forged = swaks(port, "--tls", "--auth", "PLAIN", "--auth-user", TEST_USER, "--auth-password", TEST_PASSWORD,
                "--from", "ceo@localhost", "--to", "alice@localhost");
        Result own = swaks(port, "--tls", "--auth", "PLAIN", "--auth-user", TEST_USER, "--auth-password", TEST_PASSWORD,
                "--from", TEST_USER + "@localhost", "--to", "alice@localhost");

        assertThat(forged.output()).contains("553 5.7.1 Sender address rejected: not owned by user " + TEST_USER);
        assertThat(forged.exitCode()).as(forged.output()).isNotZero();
        assertThat(own.exitCode()).as(own.output()).isZero();
    }

    @Test
    public void dribblingClientsDoNotHoldTheListenerFromALegitimateOne() throws Exception {
        int port = relayListener("dribbled", Map.of("max.connections", 20, "max.connections.per.client", 2,
                "stress.threshold", 50, "stress.command.timeout", 1));
        // Every slot taken by ten addresses, each connection sending an octet of a never-ending line now and then.
        for (int i = 2; i < 12; i++) {
            for (int j = 0; j < 2; j++) {
                dribble(port, "127.0.0." + i);
            }
        }
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners")).containsPattern("dribbled.*\\b20\\b"));

        await().untilAsserted(() -> {
            Result legitimate = swaks(port, "--from", "someone@example.org", "--to", "alice@localhost");
            assertThat(legitimate.exitCode()).as(legitimate.output()).isZero();
        });
    }

    @Test
    public void listenersServeOnNettysNativeEpollTransportOnLinuxX8664() throws Exception {
        assumeTrue("the distribution carries netty's native library for Linux x86-64 only",
                System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));
        int port = relayListener("native", Map.of());

        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        await().untilAsserted(() -> assertThat(Files.readString(log))
                .containsPattern("SMTP listener native bound to [0-9.]+:" + port + " with strategy .*\\(EPOLL\\)"));
        Result sent = swaks(port, "--from", "someone@example.org", "--to", "alice@localhost");
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    @Test
    public void failedAuthIsLoggedWithUserClientAndListenerButNotThePassword() throws Exception {
        int port = relayListener("logged", Map.of());

        Result wrong = swaks(port, "--tls", "--auth", "PLAIN", "--auth-user", "mallory", "--auth-password", "Guess-1234",
                "--from", "mallory@localhost", "--to", "alice@localhost");

        assertThat(wrong.output()).contains("535 5.7.8");
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        await().untilAsserted(() -> assertThat(Files.readString(log))
                .contains("SMTP AUTH failed on listener logged for user mallory from 127.0.0.1"));
        assertThat(Files.readString(log)).doesNotContain("Guess-1234");
    }

    @Test
    public void postmasterWithoutADomainAndAQuotedLocalPartReachTheMailboxesTheyName() throws Exception {
        int port = relayListener("addresses", Map.of());
        // The suite's other tests write to these mailboxes too: this test's messages are told by their subjects.
        String run = java.util.UUID.randomUUID().toString();

        Result postmaster = swaks(port, "--from", "someone@example.org", "--to", "postmaster", "--header",
                "Subject: pm " + run);
        Result quoted = swaks(port, "--from", "someone@example.org", "--to", "\"bob\"@localhost", "--header",
                "Subject: q " + run);
        Result plain = swaks(port, "--from", "someone@example.org", "--to", "bob@localhost", "--header",
                "Subject: p " + run);

        assertThat(postmaster.exitCode()).as(postmaster.output()).isZero();
        assertThat(quoted.exitCode()).as(quoted.output()).isZero();
        assertThat(plain.exitCode()).as(plain.output()).isZero();
        Path mailboxes = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes");
        await().untilAsserted(() -> {
            Path postmasters = mailboxes.resolve("postmaster@localhost").resolve("new");
            Path bobs = mailboxes.resolve("bob@localhost").resolve("new");
            assertThat(withSubject(postmasters, "pm " + run)).isEqualTo(1);
            assertThat(withSubject(bobs, "q " + run)).isEqualTo(1);
            assertThat(withSubject(bobs, "p " + run)).isEqualTo(1);
        });
        assertThat(mailboxes.resolve("\"bob\"@localhost")).doesNotExist();
    }

    private static long withSubject(Path directory, String subject) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> {
                try {
                    return Files.readString(file, StandardCharsets.US_ASCII).contains("Subject: " + subject);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    public void portZeroIsRefusedNamingTheProperty() throws Exception {
        createFactoryConfiguration("org.mailslot.listener", "zero", Map.of("address", "127.0.0.1", "port", 0, "strategy", 25));

        await().untilAsserted(() -> assertThat(status())
                .containsPattern("org.mailslot.listener \\[zero\\].*failed.*listener zero: port must be between 1 and 65535, not 0"));
    }

    /** A listener written as the README shows one for port 25 (on a free port), plus these properties. */
    private int relayListener(String name, Map<String, Object> extra) throws Exception {
        int port = freePort();
        Map<String, Object> properties = new HashMap<>(Map.of("address", "127.0.0.1", "port", port, "strategy", 25));
        properties.putAll(extra);
        createFactoryConfiguration("org.mailslot.listener", name, properties);
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern(name + ".*127.0.0.1:" + port + ".*(?i)bound"));
        return port;
    }

    private void dribble(int port, String from) throws IOException {
        Socket socket = new Socket();
        dribblers.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        trickle.scheduleWithFixedDelay(() -> {
            try {
                out.write('X');
            } catch (IOException closedByTheListener) {
                // What the test waits for.
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    record Result(int exitCode, String output) {
    }

    private static Result swaks(int port, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port, "--timeout", "20"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
