package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private Dovecot instance ({@code dovecot -c FILE}) on a loopback address: IMAP with STARTTLS
 * (143) and implicit TLS (993), POP3 with STLS (110) and implicit TLS (995), and an inet auth
 * listener that Postfix uses for SASL ({@code smtpd_sasl_type = dovecot}). Users live in a
 * passwd-file, mail in one Maildir per user.
 *
 * <p>Its base_dir, state_dir, log and mail live under a private directory; the master's PID is read
 * from {@code base_dir/master.pid} and {@link #close()} kills it and waits for it and its children to
 * exit. Set a port to 0 to leave that listener closed; {@link Builder#authOnly()} runs only the auth
 * service.
 *
 * <pre>{@code
 * try (DovecotPeer dovecot = DovecotPeer.builder().certificate(ca.issueServer("127.0.0.3"))
 *         .user("relayuser", "secret").start()) {
 *     dovecot.deliver("relayuser", message);
 *     ... connect to dovecot.address():dovecot.imapsPort() ...
 * }
 * }</pre>
 *
 * <p>Plaintext authentication before STARTTLS is refused (Dovecot's default), because clients here
 * connect from 127.0.0.1 to another address; {@link Builder#allowPlaintextAuth} changes that. Failed
 * logins are answered at once ({@code auth_failure_delay = 0}, no anvil auth penalty), so negative
 * tests stay fast.
 */
public final class DovecotPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.3";
    /** The default port of the auth listener for Postfix. */
    public static final int DEFAULT_AUTH_PORT = 12345;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Builder settings;
    private final Path dir;
    private final Path config;
    private final Path usersFile;
    private final Path mailRoot;
    private final Path logFile;
    private final Path baseDir;
    private final Map<String, String> users;
    private final boolean ownsDirectory;
    private long pid = -1;
    private int seedCounter;

    private DovecotPeer(Builder settings) {
        this.settings = settings;
        this.ownsDirectory = settings.directory == null;
        this.dir = ownsDirectory ? Processes.createWorkDirectory("dovecot-")
                : Processes.mkdir(settings.directory, null);
        this.config = dir.resolve("dovecot.conf");
        this.usersFile = dir.resolve("users");
        this.mailRoot = dir.resolve("mail");
        this.logFile = dir.resolve("dovecot.log");
        this.baseDir = dir.resolve("run");
        this.users = new LinkedHashMap<>(settings.users);
    }

    /** @return a builder with the defaults: 127.0.0.3, ports 143/993/110/995 and auth on 12345 */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link DovecotPeer}. */
    public static final class Builder {
        private String address = DEFAULT_ADDRESS;
        private int imapPort = 143;
        private int imapsPort = 993;
        private int pop3Port = 110;
        private int pop3sPort = 995;
        private int authPort = DEFAULT_AUTH_PORT;
        private boolean authOnly;
        private boolean allowPlaintextAuth;
        private IssuedCertificate certificate;
        private Path directory;
        private Duration startTimeout = Duration.ofSeconds(20);
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> extraConfig = new ArrayList<>();

        private Builder() {
        }

        /** @param address a loopback address to listen on; @return this */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** @param port IMAP (STARTTLS) port, 0 for none; @return this */
        public Builder imapPort(int port) {
            this.imapPort = port;
            return this;
        }

        /** @param port IMAPS (implicit TLS) port, 0 for none; @return this */
        public Builder imapsPort(int port) {
            this.imapsPort = port;
            return this;
        }

        /** @param port POP3 (STLS) port, 0 for none; @return this */
        public Builder pop3Port(int port) {
            this.pop3Port = port;
            return this;
        }

        /** @param port POP3S (implicit TLS) port, 0 for none; @return this */
        public Builder pop3sPort(int port) {
            this.pop3sPort = port;
            return this;
        }

        /** @param port the auth listener's port for Postfix SASL, 0 for none; @return this */
        public Builder authPort(int port) {
            this.authPort = port;
            return this;
        }

        /** Runs only the auth service (for Postfix SASL): no IMAP or POP3 listener. @return this */
        public Builder authOnly() {
            this.authOnly = true;
            return this;
        }

        /** @param allow whether LOGIN/USER/AUTH are allowed before STARTTLS; @return this */
        public Builder allowPlaintextAuth(boolean allow) {
            this.allowPlaintextAuth = allow;
            return this;
        }

        /** @param certificate the server certificate (required unless auth-only); @return this */
        public Builder certificate(IssuedCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /**
         * @param name the user name (also the login)
         * @param password the clear-text password
         * @return this
         */
        public Builder user(String name, String password) {
            users.put(checkField("user name", name), checkField("password", password));
            return this;
        }

        /** @param directory the working directory instead of a new temporary one (kept on close); @return this */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** @param timeout how long start may take; @return this */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** @param line a line appended verbatim to dovecot.conf; @return this */
        public Builder config(String line) {
            extraConfig.add(line);
            return this;
        }

        /**
         * Writes the configuration and starts Dovecot, waiting until every listener accepts connections.
         *
         * @return the running peer
         * @throws PeerException with the log's tail if it does not start
         */
        public DovecotPeer start() {
            DovecotPeer peer = new DovecotPeer(this);
            return Processes.startedOrClosed(peer, peer::startDaemon);
        }
    }

    private void startDaemon() {
        boolean tlsNeeded = !settings.authOnly
                && (settings.imapPort > 0 || settings.imapsPort > 0 || settings.pop3Port > 0 || settings.pop3sPort > 0);
        if (tlsNeeded && settings.certificate == null) {
            throw new PeerException("DovecotPeer needs a certificate (builder.certificate(ca.issueServer(\""
                    + settings.address + "\"))) unless it is auth-only");
        }
        Processes.requireRoot("DovecotPeer");
        Processes.which("dovecot");
        Processes.mkdir(mailRoot, "nobody");
        writeUsers();
        if (settings.certificate != null) {
            settings.certificate.writeKeyPem(dir.resolve("key.pem"));
            settings.certificate.writeChainPem(dir.resolve("chain.pem"));
        }
        Processes.write(config, configuration(), "rw-r--r--");
        Processes.Result result = Processes.run(COMMAND_TIMEOUT, List.of("dovecot", "-c", config.toString()));
        if (!result.succeeded()) {
            throw new PeerException("Dovecot did not start: " + result.describe() + "\n" + logTail());
        }
        Path pidFile = baseDir.resolve("master.pid");
        Processes.awaitFile(pidFile, settings.startTimeout, () -> "Dovecot wrote no " + pidFile + "\n" + logTail());
        pid = Long.parseLong(Processes.read(pidFile).trim());
        for (int port : listeningPorts()) {
            Processes.awaitListening(settings.address, port, settings.startTimeout,
                    () -> "Dovecot (pid " + pid + ") is not listening\n" + logTail());
        }
    }

    private List<Integer> listeningPorts() {
        List<Integer> ports = new ArrayList<>();
        if (!settings.authOnly) {
            Stream.of(settings.imapPort, settings.imapsPort, settings.pop3Port, settings.pop3sPort)
                    .filter(port -> port > 0).forEach(ports::add);
        }
        if (settings.authPort > 0) {
            ports.add(settings.authPort);
        }
        return ports;
    }

    private String configuration() {
        StringBuilder c = new StringBuilder();
        c.append("# Written by org.mailslot.testing.peers.DovecotPeer\n");
        c.append("base_dir = ").append(baseDir).append('\n');
        c.append("state_dir = ").append(dir.resolve("state")).append('\n');
        c.append("log_path = ").append(logFile).append('\n');
        c.append("info_log_path = ").append(logFile).append('\n');
        c.append("instance_name = dovecot-").append(dir.getFileName()).append('\n');
        c.append("listen = ").append(settings.address).append('\n');
        List<String> protocols = new ArrayList<>();
        if (!settings.authOnly && (settings.imapPort > 0 || settings.imapsPort > 0)) {
            protocols.add("imap");
        }
        if (!settings.authOnly && (settings.pop3Port > 0 || settings.pop3sPort > 0)) {
            protocols.add("pop3");
        }
        c.append("protocols = ").append(protocols.isEmpty() ? "none" : String.join(" ", protocols)).append('\n');
        if (settings.certificate != null) {
            c.append("ssl = yes\n");
            c.append("ssl_cert = <").append(dir.resolve("chain.pem")).append('\n');
            c.append("ssl_key = <").append(dir.resolve("key.pem")).append('\n');
        } else {
            c.append("ssl = no\n");
        }
        c.append("disable_plaintext_auth = ").append(settings.allowPlaintextAuth ? "no" : "yes").append('\n');
        c.append("auth_mechanisms = plain login\n");
        c.append("auth_verbose = yes\n");
        // Tests try wrong passwords on purpose: no 2 s failure delay, no growing per-IP penalty
        // (every client here comes from 127.0.0.1). builder.config(...) can restore them.
        c.append("auth_failure_delay = 0\n");
        c.append("service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n");
        c.append("mail_location = maildir:").append(mailRoot).append("/%u\n");
        c.append("pop3_uidl_format = %08Xu%08Xv\n");
        c.append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ")
                .append(usersFile).append("\n}\n");
        c.append("userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=")
                .append(mailRoot).append("/%u\n}\n");
        listener(c, "imap-login", "imap", settings.imapPort, false);
        listener(c, "imap-login", "imaps", settings.imapsPort, true);
        listener(c, "pop3-login", "pop3", settings.pop3Port, false);
        listener(c, "pop3-login", "pop3s", settings.pop3sPort, true);
        if (settings.authPort > 0) {
            c.append("service auth {\n  inet_listener {\n    address = ").append(settings.address)
                    .append("\n    port = ").append(settings.authPort).append("\n  }\n}\n");
        }
        settings.extraConfig.forEach(line -> c.append(line).append('\n'));
        return c.toString();
    }

    private void listener(StringBuilder c, String service, String name, int port, boolean ssl) {
        // Dovecot's parser wants one setting per line and the closing brace on its own line.
        c.append("service ").append(service).append(" {\n  inet_listener ").append(name).append(" {\n    port = ")
                .append(settings.authOnly ? 0 : port).append('\n');
        if (ssl) {
            c.append("    ssl = yes\n");
        }
        c.append("  }\n}\n");
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /** @return the IMAP (STARTTLS) port, 0 if closed */
    public int imapPort() {
        return settings.authOnly ? 0 : settings.imapPort;
    }

    /** @return the IMAPS port, 0 if closed */
    public int imapsPort() {
        return settings.authOnly ? 0 : settings.imapsPort;
    }

    /** @return the POP3 (STLS) port, 0 if closed */
    public int pop3Port() {
        return settings.authOnly ? 0 : settings.pop3Port;
    }

    /** @return the POP3S port, 0 if closed */
    public int pop3sPort() {
        return settings.authOnly ? 0 : settings.pop3sPort;
    }

    /** @return the auth listener's port, 0 if closed */
    public int authPort() {
        return settings.authPort;
    }

    /** @return the value for Postfix's {@code smtpd_sasl_path}: {@code inet:ADDRESS:PORT} */
    public String saslPath() {
        if (settings.authPort <= 0) {
            throw new IllegalStateException("this DovecotPeer has no auth listener");
        }
        return "inet:" + settings.address + ":" + settings.authPort;
    }

    /** @return the master process's PID */
    public long pid() {
        return pid;
    }

    /** @return the configuration file, for {@code doveadm -c} */
    public Path configFile() {
        return config;
    }

    /** @return the private working directory */
    public Path directory() {
        return dir;
    }

    /** @return the log file */
    public Path logFile() {
        return logFile;
    }

    /** @return the whole log */
    public String log() {
        return Processes.read(logFile);
    }

    /** @return the log's last lines, for failure messages */
    public String logTail() {
        return Processes.tail(logFile, Processes.LOG_TAIL_LINES);
    }

    /**
     * Adds a user or changes its password, and returns once Dovecot accepts the new credentials
     * ({@code doveadm auth test}): Dovecot rereads its passwd-file at most once a second.
     *
     * @param name the user name (also the login)
     * @param password the clear-text password (no ':' or line breaks)
     * @throws PeerException if Dovecot does not accept them within 10 s
     */
    public void addUser(String name, String password) {
        synchronized (this) {
            users.put(checkField("user name", name), checkField("password", password));
            writeUsers();
        }
        if (pid > 0) {
            try {
                await("Dovecot accepting the login of " + name).atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                        .until(() -> doveadm("auth", "test", name, password).succeeded());
            } catch (ConditionTimeoutException e) {
                throw new PeerException("Dovecot does not accept the new user " + name + ": "
                        + doveadm("auth", "test", name, password).describe() + "\n" + logTail(), e);
            }
        }
    }

    /** @return the users and their passwords */
    public synchronized Map<String, String> users() {
        return Map.copyOf(users);
    }

    private synchronized void writeUsers() {
        StringBuilder lines = new StringBuilder();
        users.forEach((name, password) -> lines.append(name).append(":{PLAIN}").append(password).append('\n'));
        // Dovecot's auth process runs as the dovecot user (auth-worker) or root; keep it readable.
        Path next = usersFile.resolveSibling("users.next");
        Processes.write(next, lines.toString(), "rw-r--r--");
        try {
            Files.move(next, usersFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PeerException("cannot replace " + usersFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a message into a user's INBOX with {@code doveadm save}.
     *
     * @param user the user
     * @param message the raw RFC 5322 message (CRLF or LF line ends)
     */
    public void deliver(String user, byte[] message) {
        deliver(user, "INBOX", message);
    }

    /**
     * Puts a message into a user's mailbox with {@code doveadm save -m MAILBOX}.
     *
     * @param user the user
     * @param mailbox the mailbox name (created if missing)
     * @param message the raw RFC 5322 message
     */
    public void deliver(String user, String mailbox, byte[] message) {
        if (!"INBOX".equals(mailbox)) {
            doveadm("mailbox", "create", "-u", user, mailbox); // fails harmlessly if it exists
        }
        Processes.Result result = Processes.run(COMMAND_TIMEOUT, message,
                List.of("doveadm", "-c", config.toString(), "save", "-u", user, "-m", mailbox));
        if (!result.succeeded()) {
            throw new PeerException("doveadm save for " + user + " failed: " + result.describe() + "\n" + logTail());
        }
    }

    /**
     * Puts many messages into a user's INBOX at once through Dovecot's own storage code, with
     * {@code doveadm import}: the messages are written to a staging Maildir (owned by the mail
     * user, names ordered as given), which one {@code doveadm import} copies into the INBOX,
     * assigning UIDs in that order; the staging Maildir is then removed. Much faster than one
     * {@code doveadm save} per message, and Dovecot indexes what it writes itself.
     *
     * @param user the user
     * @param messages raw RFC 5322 messages (CRLF line ends)
     * @return the number of messages in the INBOX afterwards
     */
    public int seed(String user, List<byte[]> messages) {
        Path staging = Processes.mkdir(dir.resolve("seed-" + seedCounter), "nobody");
        try {
            Path fresh = Processes.mkdir(staging.resolve("new"), "nobody");
            Processes.mkdir(staging.resolve("cur"), "nobody");
            Processes.mkdir(staging.resolve("tmp"), "nobody");
            java.nio.file.attribute.UserPrincipal nobody = staging.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("nobody");
            long base = System.currentTimeMillis() / 1000;
            for (byte[] message : messages) {
                // Dovecot orders new/ by file name when it assigns UIDs: a fixed-width counter keeps the order.
                Path file = fresh.resolve(String.format("%d.M%08dP%d.mailslot-seed", base, seedCounter++,
                        ProcessHandle.current().pid()));
                Files.write(file, message);
                Files.setOwner(file, nobody);
            }
            Processes.Result result = doveadm("import", "-u", user, "maildir:" + staging, "", "mailbox", "INBOX");
            if (!result.succeeded()) {
                throw new PeerException("doveadm import for " + user + " failed: " + result.describe() + "\n" + logTail());
            }
        } catch (IOException e) {
            throw new PeerException("cannot stage messages for " + user + ": " + e.getMessage(), e);
        } finally {
            Processes.deleteTree(staging);
        }
        return messageCount(user, "INBOX");
    }

    /**
     * @param user the user
     * @param mailbox a mailbox
     * @return the number of messages Dovecot counts there ({@code doveadm mailbox status messages})
     */
    public int messageCount(String user, String mailbox) {
        Processes.Result result = doveadm("-f", "flow", "mailbox", "status", "-u", user, "messages", mailbox);
        if (!result.succeeded()) {
            throw new PeerException("doveadm mailbox status for " + user + " failed: " + result.describe());
        }
        String out = result.output().trim();
        int at = out.indexOf("messages=");
        if (at < 0) {
            throw new PeerException("doveadm mailbox status printed no count: " + out);
        }
        return Integer.parseInt(out.substring(at + "messages=".length()).split("\\s+")[0]);
    }

    /**
     * Drops every IMAP/POP3 session of a user ({@code doveadm kick}); the client sees
     * {@code * BYE} or a closed connection mid-command.
     *
     * @param user the user
     * @return whether a session was kicked (false if the user had none)
     */
    public boolean kick(String user) {
        Processes.Result result = doveadm("kick", user);
        if (result.succeeded()) {
            return true;
        }
        if (result.output().contains("no users kicked")) {
            return false;
        }
        throw new PeerException("doveadm kick " + user + " failed: " + result.describe());
    }

    /**
     * Runs {@code doveadm -c CONFIG ARGS...}.
     *
     * @param args doveadm's arguments
     * @return the result, whatever its exit status
     */
    public Processes.Result doveadm(String... args) {
        List<String> command = new ArrayList<>(List.of("doveadm", "-c", config.toString()));
        command.addAll(List.of(args));
        return Processes.run(COMMAND_TIMEOUT, command);
    }

    /**
     * @param user a user
     * @return the user's Maildir (it exists once something was delivered or the user logged in)
     */
    public Path maildir(String user) {
        return mailRoot.resolve(user);
    }

    /**
     * @param user a user
     * @return the message files in the user's INBOX ({@code new} and {@code cur}), oldest first
     */
    public List<Path> messages(String user) {
        return maildirMessages(maildir(user));
    }

    static List<Path> maildirMessages(Path maildir) {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path dir = maildir.resolve(sub);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    list.filter(Files::isRegularFile).forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        files.sort(Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).thenComparing(p -> p.getFileName().toString()));
        return files;
    }

    /**
     * Stops Dovecot (SIGTERM to the master, SIGKILL after 10 s) and deletes its directory unless it was
     * given to the builder.
     */
    @Override
    public void close() {
        try {
            if (pid <= 0) {
                // Started half-way? The master may still have written its PID.
                Path pidFile = baseDir.resolve("master.pid");
                String text = Processes.read(pidFile).trim();
                if (!text.isEmpty()) {
                    pid = Long.parseLong(text);
                }
            }
            if (pid > 0) {
                Processes.terminate(pid, Duration.ofSeconds(10));
                pid = -1;
            }
        } finally {
            if (ownsDirectory) {
                Processes.deleteTree(dir);
            }
        }
    }

    @Override
    public String toString() {
        return "DovecotPeer[" + settings.address + ", imap=" + imapPort() + ", imaps=" + imapsPort() + ", pop3="
                + pop3Port() + ", pop3s=" + pop3sPort() + ", auth=" + settings.authPort + ", dir=" + dir + "]";
    }

    private static String checkField(String what, String value) {
        if (value == null || value.isEmpty() || value.contains(":") || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException(what + " must be non-empty without ':' or line breaks: " + value);
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException(what + " must be ASCII: " + value);
        }
        return value;
    }
}
