package org.mailslot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.mailslot.testing.peers.Processes;

/**
 * One Mailslot node as an operator runs it: a copy of the built distribution archive, unpacked into
 * {@code target/}, its {@code etc/} files written, and {@code bin/karaf server} run as its own process
 * (the JVM itself, so {@link #kill()} is a {@code kill -9} of the node). Every port a node opens is its
 * own (SMTP listener, SSH, HTTP), so several nodes run side by side; the shell is reached over SSH as
 * an operator reaches it.
 *
 * <p>Not a Pax Exam container: tests that need several nodes, or kill one, use this.
 */
final class MailslotNode implements AutoCloseable {

    /** An operator in the node's realm, allowed the shell over SSH. */
    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "node-operator-pass";

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Pattern QUEUE_ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final String name;
    private final Path home;
    private final int smtpPort;
    private final int sshPort;
    private Process karaf;

    private MailslotNode(String name, Path home, int smtpPort, int sshPort) {
        this.name = name;
        this.home = home;
        this.smtpPort = smtpPort;
        this.sshPort = sshPort;
    }

    /**
     * Unpacks the distribution (system property {@code mailslot.distribution}) for a node whose listener
     * takes mail the MTA way (port 25 rules, no login) on 127.0.0.1 for the given domains.
     *
     * @param name the node's name, in its directory's and in messages
     * @param domains the domains its listener accepts mail for from anyone (delivered or relayed elsewhere)
     * @return the node, configured but not started
     */
    static MailslotNode unpack(String name, String... domains) throws IOException {
        String archive = System.getProperty("mailslot.distribution");
        if (archive == null || !Files.isRegularFile(Path.of(archive))) {
            throw new IllegalStateException("system property mailslot.distribution must name the built archive; build"
                    + " karaf-assembly first (it is " + archive + ")");
        }
        Path target = Files.createDirectories(Path.of("target", "nodes").toAbsolutePath());
        Path home = Files.createTempDirectory(target, name + "-");
        Processes.runChecked(Duration.ofMinutes(2), "tar", "xzf", archive, "-C", home.toString(),
                "--strip-components=1");
        MailslotNode node = new MailslotNode(name, home, MailslotTestSupport.freePort(), MailslotTestSupport.freePort());
        node.write("org.mailslot.listener-submission.cfg", Map.of("address", "127.0.0.1", "port", node.smtpPort,
                "strategy", "25", "local.domains", String.join(", ", domains)));
        node.setLine("org.apache.karaf.shell.cfg", "sshPort", "sshPort = " + node.sshPort);
        node.setLine("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", "org.osgi.service.http.port = "
                + MailslotTestSupport.freePort());
        Files.writeString(home.resolve("etc/users.properties"), "\n" + OPERATOR + " = " + OPERATOR_PASSWORD
                + ",admin,viewer,ssh\n", StandardOpenOption.APPEND);
        return node;
    }

    /**
     * Writes a configuration file into {@code etc/} (before {@link #start()}, or for Karaf to pick up while
     * it runs).
     *
     * @param file the file's name, such as {@code org.mailslot.relay-postfix.cfg}
     * @param properties its properties
     */
    void write(String file, Map<String, ?> properties) throws IOException {
        StringBuilder text = new StringBuilder("# written by ").append(getClass().getSimpleName()).append('\n');
        properties.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        Files.writeString(home.resolve("etc").resolve(file), text);
    }

    private void setLine(String file, String key, String line) throws IOException {
        Path path = home.resolve("etc").resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(path));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(key)) {
                lines.set(i, line);
                found = true;
            }
        }
        if (!found) {
            lines.add(line);
        }
        Files.write(path, lines);
    }

    /** Starts the node (again, on its data after a kill) and waits until its listener greets. */
    void start() throws IOException {
        if (karaf != null && karaf.isAlive()) {
            throw new IllegalStateException(name + " runs already as PID " + karaf.pid());
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        // exec: the process held here is the Karaf JVM, not a shell around it.
        builder.environment().put("KARAF_EXEC", "exec");
        // Karaf 4.4's bin/karaf ignores JAVA_MAX_MEM; the heap is set where its scripts read it.
        builder.environment().put("EXTRA_JAVA_OPTS", "-Xms256m -Xmx384m");
        karaf = builder.start();
    }

    /** Waits until the node's listener greets with 220. */
    void awaitListening() {
        try {
            Awaitility.await(name + " greeting on 127.0.0.1:" + smtpPort).atMost(BOOT)
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        if (!karaf.isAlive()) {
                            throw new IllegalStateException(name + " exited: " + diagnostics());
                        }
                        return greets();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not listen within " + BOOT + ": " + diagnostics(), e);
        }
    }

    private boolean greets() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", smtpPort), 500);
            socket.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line != null && line.startsWith("220 ");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the node's JVM with SIGKILL, as {@code kill -9}: no shutdown, open connections cut by the kernel. */
    void kill() {
        if (karaf != null && karaf.isAlive()) {
            karaf.destroyForcibly();
            Processes.awaitExit(karaf.pid(), Duration.ofSeconds(30));
        }
    }

    /** @return the process id of the node's JVM */
    long pid() {
        return karaf.pid();
    }

    /** @return whether the node's JVM runs */
    boolean isRunning() {
        return karaf != null && karaf.isAlive();
    }

    /**
     * Runs a shell command over SSH as {@link #OPERATOR}.
     *
     * @return what it printed
     * @throws IllegalStateException if it did not exit with 0
     */
    String shell(String command) throws IOException {
        ShellOverSsh.Result result = ShellOverSsh.run(sshPort, OPERATOR, OPERATOR_PASSWORD, command);
        if (result.exitStatus() == null || result.exitStatus() != 0) {
            throw new IllegalStateException(name + ": '" + command + "' exited " + result.exitStatus() + ": "
                    + result.output());
        }
        return result.output();
    }

    /** @return the ids {@code mailslot:queue --json} lists on this node, oldest first */
    List<String> queuedIds() throws IOException {
        List<String> ids = new ArrayList<>();
        Matcher id = QUEUE_ID.matcher(shell("mailslot:queue --json"));
        while (id.find()) {
            ids.add(id.group(1));
        }
        return ids;
    }

    String name() {
        return name;
    }

    int smtpPort() {
        return smtpPort;
    }

    Path home() {
        return home;
    }

    /** @return where to look when the node misbehaves: its console and the tail of its log */
    String diagnostics() {
        return "\n--- " + home.resolve("console.log") + "\n" + Processes.tail(home.resolve("console.log"), 20)
                + "\n--- " + home.resolve("data/log/karaf.log") + "\n"
                + Processes.tail(home.resolve("data/log/karaf.log"), Processes.LOG_TAIL_LINES);
    }

    /**
     * Stops the node with SIGTERM (a clean shutdown), waits for its JVM and deletes its directory (kept with
     * {@code -Dmailslot.peers.keep=true}).
     */
    @Override
    public void close() {
        if (karaf != null && karaf.isAlive()) {
            if (!Processes.terminate(karaf.pid(), Duration.ofSeconds(30))) {
                kill();
            }
        }
        if (!Boolean.getBoolean("mailslot.peers.keep")) {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A leftover directory under target/ harms no one.
            }
        }
    }

    @Override
    public String toString() {
        return name + " (127.0.0.1:" + smtpPort + ", ssh " + sshPort + ")";
    }
}
