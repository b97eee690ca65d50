package org.mailslot.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.Processes;

/**
 * The shipped distribution run as users run it ({@code bin/karaf server}), with the benchmark's
 * configuration files written into its {@code etc/} first, until one of its listeners greets.
 */
final class MailslotServer implements AutoCloseable {

    private final Path home;
    private final Process karaf;
    private final int port;

    private MailslotServer(Path home, Process karaf, int port) {
        this.home = home;
        this.karaf = karaf;
        this.port = port;
    }

    /**
     * @param home an unpacked distribution
     * @param port the listener port that must greet (one of the configurations opens it on 127.0.0.1)
     * @param xmx the heap, passed where Karaf 4.4 takes it ({@code EXTRA_JAVA_OPTS}: its
     *        {@code bin/karaf} ignores {@code JAVA_MIN_MEM} and {@code JAVA_MAX_MEM})
     * @param javaOpts further JVM options, may be empty
     * @param configurations file name in {@code etc/} → content
     */
    static MailslotServer start(Path home, int port, String xmx, String javaOpts, Map<String, String> configurations)
            throws IOException, InterruptedException {
        Path etc = home.resolve("etc");
        for (Map.Entry<String, String> file : configurations.entrySet()) {
            Files.writeString(etc.resolve(file.getKey()), file.getValue());
        }
        List<String> shell = Files.readAllLines(etc.resolve("org.apache.karaf.shell.cfg"));
        int sshPort = freePort();
        shell.replaceAll(l -> l.startsWith("sshPort") ? "sshPort = " + sshPort : l);
        Files.write(etc.resolve("org.apache.karaf.shell.cfg"), shell);

        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("KARAF_EXEC", "exec");
        builder.environment().put("EXTRA_JAVA_OPTS", "-Xms" + xmx + " -Xmx" + xmx + " " + javaOpts);
        Process karaf = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!greets(port)) {
            if (!karaf.isAlive() || System.nanoTime() > deadline) {
                Processes.terminate(karaf.pid(), Duration.ofSeconds(30));
                throw new PeerException("Mailslot did not listen on 127.0.0.1:" + port + "; see "
                        + home.resolve("console.log") + " and " + home.resolve("data/log/karaf.log"));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return new MailslotServer(home, karaf, port);
    }

    long pid() {
        return karaf.pid();
    }

    int port() {
        return port;
    }

    Path home() {
        return home;
    }

    @Override
    public void close() {
        if (karaf.isAlive()) {
            Processes.terminate(karaf.pid(), Duration.ofSeconds(30));
        }
    }

    /** @return a port on 127.0.0.1 that nothing listens on (closed again at once) */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static boolean greets(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line != null && line.startsWith("220");
        } catch (IOException e) {
            return false;
        }
    }
}
