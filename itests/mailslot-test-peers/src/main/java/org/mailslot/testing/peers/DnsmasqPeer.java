package org.mailslot.testing.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code dnsmasq} as an authoritative-enough DNS server on a loopback address and an
 * unprivileged port, for MX tests: MX, A and forwarding records from the builder, nothing from the
 * machine ({@code --conf-file=/dev/null}, {@code --no-resolv}, {@code --no-hosts}). Names under the
 * {@link Builder#localDomain local domains} that have no record get NXDOMAIN; a name with an
 * address and no MX gets an empty MX answer (NODATA). It never uses port 53, where a system
 * dnsmasq or resolver may listen.
 *
 * <pre>{@code
 * try (DnsmasqPeer dns = DnsmasqPeer.builder().localDomain("test")
 *         .mx("example.test", "mx1.example.test", 10).host("mx1.example.test", "127.0.0.2").start()) {
 *     ... resolve through dns.resolver() ("127.0.0.8:15353") ...
 * }
 * }</pre>
 *
 * <p>Runs in the foreground as a child of this JVM ({@code --keep-in-foreground}), as {@code nobody}
 * when started by root; {@link #close()} stops it and deletes its directory (pid file and query log).
 */
public final class DnsmasqPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.8";

    /** The default port: unprivileged, and not 53 or 5353 (mDNS). */
    public static final int DEFAULT_PORT = 15353;

    private final Builder settings;
    private final ForegroundDaemon daemon;
    private final Path dir;

    private DnsmasqPeer(Builder settings) {
        this.settings = settings;
        this.daemon = new ForegroundDaemon("dnsmasq");
        this.dir = daemon.dir();
    }

    /** @return a builder: 127.0.0.8:15353, no records */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link DnsmasqPeer}. */
    public static final class Builder extends ListenerSettings<Builder> {
        private final List<String> options = new ArrayList<>();

        private Builder() {
            super(DEFAULT_ADDRESS, DEFAULT_PORT, Duration.ofSeconds(10));
        }

        /** @param port an unprivileged port (UDP and TCP); @return this */
        @Override
        public Builder port(int port) {
            if (port == 53 || port < 1024) {
                throw new IllegalArgumentException("use an unprivileged port other than 53, not " + port);
            }
            return super.port(port);
        }

        /**
         * Answers for names under the domain from the records given here only: a name without one is
         * NXDOMAIN ({@code --local=/domain/}).
         *
         * @param domain e.g. "test"
         * @return this
         */
        public Builder localDomain(String domain) {
            return option("--local=/" + domain + "/");
        }

        /**
         * An MX record ({@code --mx-host}).
         *
         * @param domain the mail domain
         * @param target the MX host name, or "." for a null MX
         * @param preference lower is tried first
         * @return this
         */
        public Builder mx(String domain, String target, int preference) {
            return option("--mx-host=" + domain + "," + target + "," + preference);
        }

        /**
         * A and AAAA records for a name ({@code --host-record}).
         *
         * @param name the host name
         * @param addresses its IPv4 and IPv6 addresses
         * @return this
         */
        public Builder host(String name, String... addresses) {
            return option("--host-record=" + name + "," + String.join(",", addresses));
        }

        /**
         * Forwards queries for a domain to another DNS server ({@code --server=/domain/address#port}):
         * to a port where nothing answers, lookups under the domain fail as a broken upstream does.
         *
         * @param domain the domain
         * @param address the server's address
         * @param port the server's port
         * @return this
         */
        public Builder forward(String domain, String address, int port) {
            return option("--server=/" + domain + "/" + address + "#" + port);
        }

        /** @param option any other dnsmasq option, e.g. "--txt-record=..."; @return this */
        public Builder option(String option) {
            options.add(option);
            return this;
        }

        /**
         * Listens on port 53, for tools that take their server from /etc/resolv.conf, which names no
         * port ({@link OpenDmarc}); only on an address other than 127.0.0.1, where a system resolver
         * may listen.
         *
         * @return this
         */
        public Builder standardPort() {
            if (address.equals("127.0.0.1")) {
                throw new IllegalArgumentException("port 53 only on an address other than 127.0.0.1");
            }
            this.port = 53;
            return this;
        }

        /** @param more other dnsmasq options; @return this */
        public Builder options(List<String> more) {
            options.addAll(more);
            return this;
        }

        /**
         * Starts dnsmasq and waits until it listens.
         *
         * @return the running peer
         */
        public DnsmasqPeer start() {
            DnsmasqPeer peer = new DnsmasqPeer(this);
            return Processes.startedOrClosed(peer, peer::startProcess);
        }
    }

    private void startProcess() {
        daemon.requireFree(settings.address, settings.port);
        boolean root = Processes.isRoot();
        if (root) {
            // dnsmasq writes its log after dropping privileges to nobody.
            Processes.mkdir(dir, "nobody");
        }
        List<String> command = new ArrayList<>();
        command.add(Processes.which("dnsmasq").toString());
        command.addAll(List.of("--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--no-poll", "--bind-interfaces", "--listen-address=" + settings.address, "--port=" + settings.port,
                // No DHCP, no caching of answers between a test's changes of mind, a log of queries.
                "--cache-size=0", "--log-queries", "--log-facility=" + logFile(), "--pid-file=" + dir.resolve("pid")));
        if (root) {
            command.add("--user=nobody");
        }
        command.addAll(settings.options);
        daemon.start(command, settings.address, settings.port, settings.startTimeout, this::log);
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /** @return the listening port */
    public int port() {
        return settings.port;
    }

    /** @return {@code address:port}, the form resolvers take (Mailslot's {@code org.mailslot.mx resolver}) */
    public String resolver() {
        return settings.address + ":" + settings.port;
    }

    /** @return the command line it was started with */
    public List<String> command() {
        return daemon.command();
    }

    /** @return the query log */
    public Path logFile() {
        return dir.resolve("dnsmasq.log");
    }

    /** @return the last lines of the query log, or a note that there is none yet */
    public String log() {
        return Processes.tail(logFile(), Processes.LOG_TAIL_LINES);
    }

    /** Stops dnsmasq, waits for it to exit and deletes its directory. */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "DnsmasqPeer[" + resolver() + ", " + String.join(" ", daemon.command()) + "]";
    }
}
