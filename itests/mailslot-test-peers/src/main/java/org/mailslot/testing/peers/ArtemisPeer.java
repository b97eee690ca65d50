package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An Apache ActiveMQ Artemis broker as its own process on a loopback address: an instance made with
 * {@code artemis create} from {@link ArtemisDistribution} (core protocol only, login required, NIO
 * journal with fsync, no web console) and run with {@code bin/artemis run}, whose PID is the broker's
 * JVM. {@link #stop()} sends SIGTERM, {@link #kill()} SIGKILL (a crash: the journal is what survives);
 * {@link #start()} again runs the same instance on its data.
 *
 * <p>A {@link Role#PRIMARY} and a {@link Role#BACKUP} naming each other are a live/backup pair with
 * replication ({@link ArtemisPair}): the backup copies the primary's journal and becomes active when the
 * primary dies.
 *
 * <pre>{@code
 * try (ArtemisPeer broker = ArtemisPeer.builder().start()) {
 *     ... connect to broker.url() as broker.user() / broker.password() ...
 * }
 * }</pre>
 */
public final class ArtemisPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.40";
    /** The default core protocol port. */
    public static final int DEFAULT_PORT = 61616;

    /** "Server is now active": a primary or a standalone broker serves clients. */
    private static final String ACTIVE = "AMQ221007";
    /** "Backup server ... is synchronized with primary server". */
    private static final String SYNCHRONIZED = "AMQ221024";
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(1);
    /** The security caches' life in a broker set up as in production ({@link Builder#asInProduction()}). */
    static final long SECURITY_CACHE_MILLIS = 300_000;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern QUEUE_ROW = Pattern.compile("^\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|",
            Pattern.MULTILINE);

    /** What a broker is in its pair. */
    public enum Role {
        /** A broker alone. */
        STANDALONE,
        /** The live broker of a replicated pair. */
        PRIMARY,
        /** The backup of a replicated pair: inactive until the primary dies. */
        BACKUP
    }

    private final Builder settings;
    private final Path dir;
    private final Path instance;
    private final Path consoleLog;
    private final boolean ownsDirectory;
    private volatile Process process;
    private volatile long logOffset;

    private ArtemisPeer(Builder settings) {
        this.settings = settings;
        this.ownsDirectory = settings.directory == null;
        this.dir = ownsDirectory ? Processes.createWorkDirectory("artemis-") : Processes.mkdir(settings.directory, null);
        this.instance = dir.resolve("instance");
        this.consoleLog = dir.resolve("console.log");
    }

    /** @return a builder: a standalone broker on 127.0.0.40:61616, user {@code mailslot} */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an {@link ArtemisPeer}. */
    public static final class Builder {
        private String address = DEFAULT_ADDRESS;
        private int port = DEFAULT_PORT;
        private String user = "mailslot";
        private String password = "mailslot-broker-secret";
        private Role role = Role.STANDALONE;
        private String partner;
        private String memory = "512M";
        private Path directory;
        private Duration startTimeout = Duration.ofSeconds(90);
        private boolean autotune;

        private Builder() {
        }

        /** @param address a loopback address to listen on; @return this */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** @param port the core protocol port; @return this */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param user the one user the broker knows (role {@code amq}: every permission)
         * @param password its password
         * @return this
         */
        public Builder login(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * @param role the broker's place in a replicated pair
         * @param partnerUrl the other broker's core URL ({@code tcp://ADDRESS:PORT}); ignored for standalone
         * @return this
         */
        public Builder role(Role role, String partnerUrl) {
            this.role = role;
            this.partner = partnerUrl;
            return this;
        }

        /** @param memory the broker JVM's heap ({@code -Xms} and {@code -Xmx}), such as "512M"; @return this */
        public Builder memory(String memory) {
            this.memory = memory;
            return this;
        }

        /** @param directory the working directory instead of a new temporary one (kept on close); @return this */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Sets the broker up as docs/queue-on-artemis.md has it for production: {@code artemis create} times this
         * machine's disk syncs and sets the journal's flush timer ({@code journal-buffer-timeout}) to match, as it
         * does unless told not to (durable sends answered as fast as the disk syncs instead of after Artemis'
         * default NIO timer of 3.3 ms), and the security caches live {@value #SECURITY_CACHE_MILLIS} ms instead
         * of 10 s (when they end, every session sending at that moment checks the password again, a PBKDF2 hash
         * each). A few seconds longer to create; for measurements, tests leave it off.
         *
         * @return this
         */
        public Builder asInProduction() {
            this.autotune = true;
            return this;
        }

        /** @param timeout how long a start may take; @return this */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** @return the broker's instance, created but not started */
        public ArtemisPeer create() {
            if (role != Role.STANDALONE && (partner == null || partner.isBlank())) {
                throw new IllegalArgumentException("a " + role + " broker needs its partner's URL");
            }
            ArtemisPeer peer = new ArtemisPeer(this);
            return Processes.startedOrClosed(peer, peer::createInstance);
        }

        /**
         * Creates the instance and starts it, waiting until it is active (a backup: synchronized with its
         * primary).
         *
         * @return the running broker
         * @throws PeerException with the log's tail if it does not start
         */
        public ArtemisPeer start() {
            ArtemisPeer peer = create();
            return Processes.startedOrClosed(peer, peer::start);
        }
    }

    private void createInstance() {
        List<String> command = new ArrayList<>(List.of(ArtemisDistribution.home().resolve("bin/artemis").toString(),
                "create", "--silent", "--force", "--user", settings.user, "--password", settings.password,
                "--require-login", "--host", settings.address, "--default-port", Integer.toString(settings.port),
                "--no-web", "--nio", "--java-memory", settings.memory, "--no-amqp-acceptor",
                "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor"));
        if (!settings.autotune) {
            command.add("--no-autotune");
        }
        if (settings.role != Role.STANDALONE) {
            command.addAll(List.of("--replicated", "--cluster-user", settings.user + "-cluster", "--cluster-password",
                    settings.password, "--staticCluster", settings.partner));
        }
        if (settings.role == Role.BACKUP) {
            command.add("--backup");
        }
        command.add(instance.toString());
        Processes.run(CREATE_TIMEOUT, command).orThrow();
        if (settings.autotune) {
            Path brokerXml = instance.resolve("etc/broker.xml");
            try {
                Files.writeString(brokerXml, Files.readString(brokerXml).replaceFirst("<acceptors>",
                        "<security-invalidation-interval>" + SECURITY_CACHE_MILLIS
                                + "</security-invalidation-interval>\n\n      <acceptors>"));
            } catch (IOException e) {
                throw new PeerException("cannot set up " + brokerXml + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Starts the instance (again: it keeps its journal) and waits until it is active, or, for a backup
     * whose primary runs, synchronized with it.
     *
     * @throws PeerException with the log's tail if it does not get there in time
     */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException("the broker on " + url() + " already runs as PID " + pid());
        }
        try {
            logOffset = Files.exists(consoleLog) ? Files.size(consoleLog) : 0;
            ProcessBuilder builder = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putIfAbsent("LANG", "C.UTF-8");
            process = builder.start();
        } catch (IOException e) {
            throw new PeerException("cannot start the broker in " + instance + ": " + e.getMessage(), e);
        }
        awaitLog(settings.role == Role.BACKUP ? SYNCHRONIZED : ACTIVE, settings.startTimeout);
    }

    /**
     * Waits until this broker is active: a backup after its primary died.
     *
     * @param timeout how long to wait
     * @throws PeerException with the log's tail if it does not become active in time
     */
    public void awaitActive(Duration timeout) {
        awaitLog(ACTIVE, timeout);
    }

    private void awaitLog(String code, Duration timeout) {
        try {
            await(code + " in " + consoleLog).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .pollDelay(Duration.ZERO).until(() -> logSinceStart().contains(code) || !isRunning());
        } catch (ConditionTimeoutException e) {
            throw new PeerException("the broker on " + url() + " did not log " + code + " within " + timeout + "\n"
                    + Processes.tail(consoleLog, Processes.LOG_TAIL_LINES), e);
        }
        if (!logSinceStart().contains(code)) {
            throw new PeerException("the broker on " + url() + " exited before it logged " + code + "\n"
                    + Processes.tail(consoleLog, Processes.LOG_TAIL_LINES));
        }
    }

    /** @return what the broker printed since it was last started */
    public String logSinceStart() {
        String all = Processes.read(consoleLog);
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= logOffset ? "" : new String(bytes, (int) logOffset, bytes.length - (int) logOffset,
                StandardCharsets.UTF_8);
    }

    /** Stops the broker with SIGTERM (a clean shutdown) and waits for its JVM to exit. */
    public void stop() {
        if (process != null) {
            Processes.terminate(process.pid(), Duration.ofSeconds(30));
        }
    }

    /** Kills the broker's JVM with SIGKILL ({@code kill -9}): no shutdown, only the journal remains. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            Processes.awaitExit(process.pid(), Duration.ofSeconds(30));
        }
    }

    /** @return whether the broker's JVM runs */
    public boolean isRunning() {
        return process != null && Processes.isRunning(process.pid());
    }

    /** @return the broker JVM's PID, -1 before the first start */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** @return the core URL of this broker alone, {@code tcp://ADDRESS:PORT} */
    public String url() {
        return "tcp://" + settings.address + ":" + settings.port;
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /** @return the core protocol port */
    public int port() {
        return settings.port;
    }

    /** @return the user clients log in as */
    public String user() {
        return settings.user;
    }

    /** @return that user's password */
    public String password() {
        return settings.password;
    }

    /** @return the instance directory ({@code etc/}, {@code data/}, {@code log/}) */
    public Path instance() {
        return instance;
    }

    /**
     * Asks the broker for its queues with {@code artemis queue stat}.
     *
     * @param queue a queue name
     * @return the queue's message count, empty if the broker has no such queue
     * @throws PeerException with the command's output if the broker cannot be asked
     */
    public Optional<Long> messageCount(String queue) {
        String table = Processes.run(COMMAND_TIMEOUT, List.of(ArtemisDistribution.home().resolve("bin/artemis")
                .toString(), "queue", "stat", "--user", settings.user, "--password", settings.password, "--url", url(),
                "--field", "NAME", "--operation", "EQUALS", "--value", queue)).orThrow().output();
        Matcher row = QUEUE_ROW.matcher(table);
        while (row.find()) {
            if (row.group(1).strip().equals(queue)) {
                return Optional.of(Long.parseLong(row.group(4).strip()));
            }
        }
        return Optional.empty();
    }

    /** Stops the broker and deletes its directory (unless it was given or -Dmailslot.peers.keep=true). */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownsDirectory) {
                Processes.deleteTree(dir);
            }
        }
    }
}
