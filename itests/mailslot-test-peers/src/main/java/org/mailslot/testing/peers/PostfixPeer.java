package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private Postfix instance ({@code postfix -c DIR start}) on a loopback address, the real SMTP
 * server that Mailslot's delivery client talks to.
 *
 * <p>Listeners (each logs under its own {@code syslog_name}, {@code postfix/p<port>}):
 * <ul>
 *   <li>{@link Listener#RELAY} (25): STARTTLS offered, no AUTH; accepts mail for the mailbox domains;
 *   <li>{@link Listener#SUBMISSIONS} (465): implicit TLS ({@code smtpd_tls_wrappermode=yes}), AUTH required;
 *   <li>{@link Listener#SUBMISSION} (587) and {@link Listener#ALTERNATE} (2525): STARTTLS required
 *       ({@code smtpd_tls_security_level=encrypt}), AUTH required and only after TLS
 *       ({@code smtpd_tls_auth_only=yes});
 *   <li>{@link Listener#PLAIN} (closed unless given a port): offers no STARTTLS and no AUTH, for the
 *       "required TLS must fail" tests.
 * </ul>
 * Any listener can be moved or left closed with {@link Builder#port(Listener, int)} (0 = closed), e.g.
 * to test fallback from 587 to 465.
 *
 * <p>All mail accepted is delivered by {@code virtual(8)} into one Maildir ({@link #maildir()}):
 * mail for the {@linkplain Builder#domains mailbox domains} (default {@code example.test}) from
 * anyone on any port, and (by default) mail for any domain from authenticated clients, as a smarthost
 * would relay it. Nothing ever leaves the machine. SASL is Dovecot's ({@code smtpd_sasl_type =
 * dovecot}) through a {@link DovecotPeer}'s auth listener. The log goes to {@link #logFile()}
 * ({@code maillog_file}).
 *
 * <pre>{@code
 * try (DovecotPeer auth = DovecotPeer.builder().authOnly().user("relayuser", "secret").start();
 *      PostfixPeer postfix = PostfixPeer.builder().certificate(ca.issueServer("127.0.0.2"))
 *              .sasl(auth).port(Listener.SUBMISSION, 0).start()) {
 *     ... deliver with Mailslot to postfix.address():465 ...
 *     List<Path> mail = postfix.awaitMessages(1, Duration.ofSeconds(10));
 *     assertThat(postfix.saslLogins(465)).hasSize(1);
 * }
 * }</pre>
 */
public final class PostfixPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.2";
    /** The default mailbox domain. */
    public static final String DEFAULT_DOMAIN = "example.test";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern TLS_LINE = Pattern.compile("TLS connection established .*?: (TLSv[0-9.]+) with cipher (\\S+)");
    private static final Pattern COMMAND_COUNT = Pattern.compile("\\b([a-z]+)=(\\d+(?:/\\d+)?)");

    /** The roles of the listeners this peer can open, with their default ports. */
    public enum Listener {
        /** Port 25: MTA relay; STARTTLS offered (opportunistic), AUTH not offered. */
        RELAY(25),
        /** Port 465: implicit TLS from the first byte; AUTH required. */
        SUBMISSIONS(465),
        /** Port 587: STARTTLS required before anything else; AUTH required, only after TLS. */
        SUBMISSION(587),
        /** Port 2525: as {@link #SUBMISSION}, the conventional alternate. */
        ALTERNATE(2525),
        /** Closed by default: no STARTTLS and no AUTH, for tests where TLS is required and must fail. */
        PLAIN(0);

        private final int defaultPort;

        Listener(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** @return the port used unless the builder says otherwise (0 = closed) */
        public int defaultPort() {
            return defaultPort;
        }

        /** @return whether this listener requires SASL authentication */
        public boolean requiresAuth() {
            return this == SUBMISSIONS || this == SUBMISSION || this == ALTERNATE;
        }
    }

    private final Builder settings;
    private final Path dir;
    private final Path configDir;
    private final Path queueDir;
    private final Path mailboxBase;
    private final Path logFile;
    private final boolean ownsDirectory;
    private boolean started;

    private PostfixPeer(Builder settings) {
        this.settings = settings;
        this.ownsDirectory = settings.directory == null;
        this.dir = ownsDirectory ? Processes.createWorkDirectory("postfix-") : Processes.mkdir(settings.directory, null);
        this.configDir = dir.resolve("etc");
        this.queueDir = dir.resolve("queue");
        this.mailboxBase = dir.resolve("box");
        this.logFile = dir.resolve("maillog");
    }

    /** @return a builder with the defaults: 127.0.0.2, ports 25/465/587/2525, domain example.test */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link PostfixPeer}. */
    public static final class Builder {
        private String address = DEFAULT_ADDRESS;
        private String hostname = "mx." + DEFAULT_DOMAIN;
        private final List<String> domains = new ArrayList<>(List.of(DEFAULT_DOMAIN));
        private final EnumMap<Listener, Integer> ports = new EnumMap<>(Listener.class);
        private final EnumMap<Listener, Map<String, String>> listenerOptions = new EnumMap<>(Listener.class);
        private final Map<String, String> mainCf = new LinkedHashMap<>();
        private IssuedCertificate certificate;
        private String saslPath;
        private boolean relayWhenAuthenticated = true;
        private Path directory;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
            for (Listener listener : Listener.values()) {
                ports.put(listener, listener.defaultPort());
            }
        }

        /** @param address a loopback address other than 127.0.0.1 to listen on; @return this */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** @param hostname {@code myhostname}, shown in the greeting; @return this */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** @param domains the virtual mailbox domains (replacing example.test); @return this */
        public Builder domains(String... domains) {
            this.domains.clear();
            this.domains.addAll(List.of(domains));
            return this;
        }

        /**
         * @param listener a listener role
         * @param port its port, or 0 to leave it closed
         * @return this
         */
        public Builder port(Listener listener, int port) {
            ports.put(listener, port);
            return this;
        }

        /** @param listener a listener role to leave closed; @return this */
        public Builder closed(Listener listener) {
            return port(listener, 0);
        }

        /**
         * @param listener a listener role
         * @param name a Postfix parameter, set with {@code -o} on that listener in master.cf
         * @param value its value (no spaces)
         * @return this
         */
        public Builder listenerOption(Listener listener, String name, String value) {
            listenerOptions.computeIfAbsent(listener, l -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /**
         * @param name a main.cf parameter
         * @param value its value, overriding this class's
         * @return this
         */
        public Builder mainCf(String name, String value) {
            mainCf.put(name, value);
            return this;
        }

        /** @param certificate the server certificate (required); @return this */
        public Builder certificate(IssuedCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** @param dovecot the Dovecot whose auth listener checks SASL logins; @return this */
        public Builder sasl(DovecotPeer dovecot) {
            return saslPath(dovecot.saslPath());
        }

        /** @param saslPath {@code smtpd_sasl_path}, e.g. {@code inet:127.0.0.3:12345}; @return this */
        public Builder saslPath(String saslPath) {
            this.saslPath = saslPath;
            return this;
        }

        /**
         * @param relay whether authenticated clients may send to any domain (delivered into the same
         *     Maildir, as a smarthost that relays); if false, only the mailbox domains are accepted
         * @return this
         */
        public Builder relayWhenAuthenticated(boolean relay) {
            this.relayWhenAuthenticated = relay;
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

        /**
         * Writes the configuration and starts Postfix, waiting until every open listener accepts connections.
         *
         * @return the running peer
         * @throws PeerException with Postfix's output and the log's tail if it does not start
         */
        public PostfixPeer start() {
            PostfixPeer peer = new PostfixPeer(this);
            return Processes.startedOrClosed(peer, peer::startDaemon);
        }
    }

    private void startDaemon() {
        if (settings.certificate == null) {
            throw new PeerException("PostfixPeer needs a certificate: builder.certificate(ca.issueServer(\""
                    + settings.address + "\"))");
        }
        boolean authNeeded = settings.ports.entrySet().stream().anyMatch(e -> e.getKey().requiresAuth() && e.getValue() > 0);
        if (authNeeded && settings.saslPath == null) {
            throw new PeerException("PostfixPeer's submission listeners need SASL: builder.sasl(dovecotPeer), or close"
                    + " SUBMISSIONS, SUBMISSION and ALTERNATE");
        }
        List<Integer> open = new ArrayList<>(settings.ports.values().stream().filter(p -> p > 0).toList());
        if (open.size() != open.stream().distinct().count()) {
            throw new IllegalArgumentException("two Postfix listeners on the same port: " + settings.ports);
        }
        Processes.requireRoot("PostfixPeer");
        Processes.which("postfix");
        Processes.which("script");
        Processes.mkdir(configDir, null);
        Processes.mkdir(queueDir, null);
        Processes.mkdir(dir.resolve("data"), "postfix");
        Processes.mkdir(mailboxBase, "nobody");
        settings.certificate.writeKeyAndChainPem(dir.resolve("tls").resolve("key-and-chain.pem"));
        Processes.write(configDir.resolve("main.cf"), mainCf(), "rw-r--r--");
        Processes.write(configDir.resolve("master.cf"), masterCf(), "rw-r--r--");
        Processes.write(logFile, "", "rw-r--r--");

        // Postfix reports fatal start-up errors only to a terminal or syslog: give it a terminal.
        // script(1) returns the command's exit status only with -e.
        String command = "postfix -c '" + configDir + "' start";
        Processes.Result result = Processes.run(COMMAND_TIMEOUT, List.of("script", "-eqc", command, "/dev/null"));
        if (!result.succeeded() || result.output().contains("fatal:")) {
            throw new PeerException("Postfix did not start: " + result.describe() + "\n" + logTail());
        }
        started = true;
        for (int port : open) {
            Processes.awaitListening(settings.address, port, settings.startTimeout,
                    () -> "Postfix is not listening\n" + logTail());
        }
    }

    private String mainCf() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("compatibility_level", "3.6");
        p.put("queue_directory", queueDir.toString());
        p.put("data_directory", dir.resolve("data").toString());
        p.put("maillog_file_prefixes", dir.toString());
        p.put("maillog_file", logFile.toString());
        p.put("inet_interfaces", "loopback-only");
        p.put("inet_protocols", "ipv4");
        p.put("myhostname", settings.hostname);
        p.put("mydomain", settings.domains.isEmpty() ? DEFAULT_DOMAIN : settings.domains.get(0));
        p.put("mydestination", "");
        p.put("mynetworks", "");
        p.put("alias_maps", "");
        p.put("alias_database", "");
        p.put("biff", "no");
        p.put("smtpd_peername_lookup", "no");
        p.put("smtpd_banner", "$myhostname ESMTP Postfix test peer");
        p.put("virtual_mailbox_domains", String.join(", ", settings.domains));
        p.put("virtual_mailbox_base", mailboxBase.toString());
        p.put("virtual_mailbox_maps", "static:Maildir/");
        p.put("virtual_uid_maps", "static:65534");
        p.put("virtual_gid_maps", "static:65534");
        p.put("virtual_mailbox_limit", "0");
        String outbound = settings.relayWhenAuthenticated ? "virtual" : "error:5.7.1 this test peer relays nothing";
        p.put("default_transport", outbound);
        p.put("relay_transport", outbound);
        p.put("local_transport", "virtual");
        p.put("smtpd_relay_restrictions", "permit_sasl_authenticated, reject_unauth_destination");
        p.put("smtpd_tls_chain_files", dir.resolve("tls").resolve("key-and-chain.pem").toString());
        p.put("smtpd_tls_security_level", "may");
        p.put("smtpd_tls_loglevel", "1");
        p.put("smtpd_tls_received_header", "yes");
        p.put("smtpd_sasl_auth_enable", "no");
        if (settings.saslPath != null) {
            p.put("smtpd_sasl_type", "dovecot");
            p.put("smtpd_sasl_path", settings.saslPath);
        }
        p.putAll(settings.mainCf);
        StringBuilder out = new StringBuilder("# Written by org.mailslot.testing.peers.PostfixPeer\n");
        p.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }

    private String masterCf() {
        StringBuilder out = new StringBuilder("# Written by org.mailslot.testing.peers.PostfixPeer\n");
        for (Listener listener : Listener.values()) {
            int port = settings.ports.get(listener);
            if (port <= 0) {
                continue;
            }
            Map<String, String> o = new LinkedHashMap<>();
            o.put("syslog_name", syslogName(port));
            switch (listener) {
                case RELAY -> o.put("smtpd_sasl_auth_enable", "no");
                case SUBMISSIONS -> {
                    o.put("smtpd_tls_wrappermode", "yes");
                    o.put("smtpd_sasl_auth_enable", "yes");
                    o.put("smtpd_client_restrictions", "permit_sasl_authenticated,reject");
                }
                case SUBMISSION, ALTERNATE -> {
                    o.put("smtpd_tls_security_level", "encrypt");
                    o.put("smtpd_sasl_auth_enable", "yes");
                    o.put("smtpd_tls_auth_only", "yes");
                    o.put("smtpd_client_restrictions", "permit_sasl_authenticated,reject");
                }
                case PLAIN -> {
                    o.put("smtpd_tls_security_level", "none");
                    o.put("smtpd_sasl_auth_enable", "no");
                }
                default -> throw new IllegalStateException(listener.name());
            }
            o.putAll(settings.listenerOptions.getOrDefault(listener, Map.of()));
            out.append(settings.address).append(':').append(port).append(" inet n - n - - smtpd\n");
            o.forEach((k, v) -> out.append("  -o ").append(k).append('=').append(v).append('\n'));
        }
        // The internal services, none chrooted (the private queue is not a chroot jail).
        out.append("""
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                proxywrite unix -       -       n       -       1       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                local     unix  -       n       n       -       -       local
                virtual   unix  -       n       n       -       -       virtual
                lmtp      unix  -       -       n       -       -       lmtp
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                """);
        return out.toString();
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /**
     * @param listener a listener role
     * @return its port, or 0 if it is closed
     */
    public int port(Listener listener) {
        return settings.ports.get(listener);
    }

    /** @return the virtual mailbox domains */
    public List<String> domains() {
        return List.copyOf(settings.domains);
    }

    /**
     * @param port a listener's port
     * @return its {@code syslog_name}: {@code postfix/p<port>}
     */
    public static String syslogName(int port) {
        return "postfix/p" + port;
    }

    /** @return the private working directory */
    public Path directory() {
        return dir;
    }

    /** @return the process id of the running master, or -1 if it is not running */
    public long masterPid() {
        String text = Processes.read(queueDir.resolve("pid").resolve("master.pid")).trim();
        return text.isEmpty() ? -1 : Long.parseLong(text);
    }

    /** @return the configuration directory (main.cf, master.cf), for {@code postfix -c} or {@code postconf -c} */
    public Path configDirectory() {
        return configDir;
    }

    /** @return the Maildir into which all accepted mail is delivered */
    public Path maildir() {
        return mailboxBase.resolve("Maildir");
    }

    /** @return the delivered message files ({@code new} and {@code cur}), oldest first */
    public List<Path> messages() {
        return DovecotPeer.maildirMessages(maildir());
    }

    /**
     * Waits until at least {@code count} messages have been delivered into the Maildir.
     *
     * @param count how many messages
     * @param timeout how long to wait
     * @return the delivered message files, oldest first (possibly more than {@code count})
     * @throws PeerException with the queue and the log's tail if they do not arrive in time
     */
    public List<Path> awaitMessages(int count, Duration timeout) {
        AtomicReference<List<Path>> found = new AtomicReference<>(List.of());
        try {
            await("delivery of " + count + " message(s) into " + maildir()).atMost(timeout)
                    .pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                    .until(() -> {
                        found.set(messages());
                        return found.get().size() >= count;
                    });
            return found.get();
        } catch (ConditionTimeoutException e) {
            throw new PeerException(found.get().size() + " of " + count + " message(s) delivered within " + timeout
                    + "\nqueue: " + queue() + "\n" + logTail(), e);
        }
    }

    /** @return the output of {@code postqueue -p} for this instance (messages not yet delivered) */
    public String queue() {
        return Processes.run(COMMAND_TIMEOUT, List.of("postqueue", "-c", configDir.toString(), "-p")).output().strip();
    }

    /** @return the log file ({@code maillog_file}) */
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
     * @param port a listener's port
     * @return the log lines written by that listener's smtpd ({@code postfix/p<port>/...})
     */
    public List<String> logLines(int port) {
        String marker = " " + syslogName(port) + "/";
        return log().lines().filter(line -> line.contains(marker)).toList();
    }

    /**
     * @param port a listener's port
     * @return its {@code disconnect from ...} lines, one per session: the commands the client sent,
     *     e.g. {@code ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8}
     */
    public List<String> disconnects(int port) {
        return logLines(port).stream().filter(line -> line.contains(": disconnect from ")).toList();
    }

    /**
     * @param port a listener's port
     * @return its {@code ... TLS connection established from ...: TLSv1.3 with cipher ...} lines
     */
    public List<String> tlsConnections(int port) {
        return logLines(port).stream().filter(line -> line.contains("TLS connection established")).toList();
    }

    /**
     * @param port a listener's port
     * @return its successful SASL login lines ({@code ... sasl_method=PLAIN, sasl_username=relayuser})
     */
    public List<String> saslLogins(int port) {
        return logLines(port).stream().filter(line -> line.contains("sasl_username=")).toList();
    }

    /**
     * @param port a listener's port
     * @return its failed SASL lines ({@code SASL PLAIN authentication failed})
     */
    public List<String> saslFailures(int port) {
        return logLines(port).stream().filter(line -> line.contains("authentication failed")).toList();
    }

    /**
     * Waits until a listener has logged {@code count} sessions as ended (the log is written
     * asynchronously, so a client may finish before its {@code disconnect} line is there).
     *
     * @param port a listener's port
     * @param count how many {@code disconnect from} lines
     * @param timeout how long to wait
     * @return the disconnect lines
     */
    public List<String> awaitDisconnects(int port, int count, Duration timeout) {
        AtomicReference<List<String>> found = new AtomicReference<>(List.of());
        try {
            await(count + " disconnect(s) on port " + port).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> {
                        found.set(disconnects(port));
                        return found.get().size() >= count;
                    });
            return found.get();
        } catch (ConditionTimeoutException e) {
            throw new PeerException(found.get().size() + " of " + count + " session(s) on port " + port
                    + " ended within " + timeout + "\n" + logTail(), e);
        }
    }

    /**
     * Waits for a log line matching a pattern.
     *
     * @param pattern a regular expression, found anywhere in the line
     * @param timeout how long to wait
     * @return the first matching line
     */
    public String awaitLogLine(Pattern pattern, Duration timeout) {
        AtomicReference<String> found = new AtomicReference<>();
        try {
            await("log line /" + pattern + "/").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> {
                        log().lines().filter(line -> pattern.matcher(line).find()).findFirst().ifPresent(found::set);
                        return found.get() != null;
                    });
            return found.get();
        } catch (ConditionTimeoutException e) {
            throw new PeerException("no log line matched /" + pattern + "/ within " + timeout + "\n" + logTail(), e);
        }
    }

    /**
     * Parses a {@code disconnect from} line.
     *
     * @param disconnectLine a line from {@link #disconnects(int)}
     * @return command name to count, in order, e.g. {@code ehlo=2, starttls=1, rcpt=0/1, commands=7}
     *     (a count "a/b" means a of b succeeded)
     */
    public static Map<String, String> commandCounts(String disconnectLine) {
        int at = disconnectLine.indexOf("disconnect from ");
        String tail = at < 0 ? disconnectLine : disconnectLine.substring(at);
        int space = tail.indexOf(' ', "disconnect from ".length());
        tail = space < 0 ? "" : tail.substring(space);
        Map<String, String> counts = new LinkedHashMap<>();
        Matcher m = COMMAND_COUNT.matcher(tail);
        while (m.find()) {
            counts.put(m.group(1), m.group(2));
        }
        return counts;
    }

    /**
     * @param tlsLine a line from {@link #tlsConnections(int)}
     * @return the protocol, e.g. {@code TLSv1.3}
     */
    public static Optional<String> tlsProtocol(String tlsLine) {
        Matcher m = TLS_LINE.matcher(tlsLine);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * @param tlsLine a line from {@link #tlsConnections(int)}
     * @return the cipher suite, e.g. {@code TLS_AES_256_GCM_SHA384}
     */
    public static Optional<String> tlsCipher(String tlsLine) {
        Matcher m = TLS_LINE.matcher(tlsLine);
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /**
     * Stops Postfix ({@code postfix stop}, then waits for the master and its children to exit, killing
     * them after 10 s) and deletes its directory unless it was given to the builder.
     */
    @Override
    public void close() {
        try {
            long pid = masterPid();
            if (pid > 0 && Processes.isRunning(pid) && ProcessHandle.of(pid).isPresent()) {
                List<ProcessHandle> children = ProcessHandle.of(pid).get().descendants().toList();
                Processes.Result stop = Processes.run(COMMAND_TIMEOUT, List.of("postfix", "-c", configDir.toString(), "stop"));
                if (!stop.succeeded()) {
                    Processes.terminate(pid, Duration.ofSeconds(10));
                } else if (!Processes.awaitExit(pid, Duration.ofSeconds(10))) {
                    Processes.terminate(pid, Duration.ofSeconds(1));
                }
                children.forEach(child -> Processes.terminate(child.pid(), Duration.ofSeconds(5)));
            } else if (started) {
                Processes.run(COMMAND_TIMEOUT, List.of("postfix", "-c", configDir.toString(), "abort"));
            }
            started = false;
        } finally {
            if (ownsDirectory) {
                Processes.deleteTree(dir);
            }
        }
    }

    @Override
    public String toString() {
        return "PostfixPeer[" + settings.address + ", ports=" + settings.ports + ", dir=" + dir + "]";
    }
}
