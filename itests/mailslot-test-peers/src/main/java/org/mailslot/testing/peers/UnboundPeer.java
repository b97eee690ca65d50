package org.mailslot.testing.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code unbound} as a validating resolver on a loopback address, resolving the test zones
 * through stub zones (an authoritative {@link KnotPeer}) and validating them with the trust anchors
 * given: a zone with a matching anchor is secure (the AD bit), one with a wrong anchor bogus
 * (SERVFAIL), one without an anchor insecure. It answers nothing from the internet.
 *
 * <p>Runs in the foreground ({@code -d}) as a child of this JVM; {@link #close()} stops it by its PID
 * and deletes its directory.
 */
public final class UnboundPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.42";

    /** The default port: unprivileged, not 53. */
    public static final int DEFAULT_PORT = 15355;

    private final Builder settings;
    private final ForegroundDaemon daemon;
    private final Path dir;

    private UnboundPeer(Builder settings) {
        this.settings = settings;
        this.daemon = new ForegroundDaemon("unbound");
        this.dir = daemon.dir();
    }

    /** @return a builder: 127.0.0.42:15355, no zones, no anchors */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an {@link UnboundPeer}. */
    public static final class Builder extends ListenerSettings<Builder> {
        private final List<String> lines = new ArrayList<>();
        private final List<String> stubs = new ArrayList<>();

        private Builder() {
            super(DEFAULT_ADDRESS, DEFAULT_PORT, Duration.ofSeconds(20));
        }

        /** Resolves every zone knot serves by asking knot. @return this */
        public Builder stubZones(KnotPeer knot) {
            for (String zone : knot.zones()) {
                stubs.add("stub-zone:\n    name: \"" + zone + "\"\n    stub-addr: " + knot.stubAddress() + "\n");
            }
            return this;
        }

        /** @param ds a DS record in presentation form, as {@link KnotPeer#ds} gives it; @return this */
        public Builder trustAnchor(String ds) {
            lines.add("    trust-anchor: \"" + ds + "\"");
            return this;
        }

        /** Starts unbound and waits until it listens. @return the running peer */
        public UnboundPeer start() {
            UnboundPeer peer = new UnboundPeer(this);
            return Processes.startedOrClosed(peer, peer::startProcess);
        }
    }

    private void startProcess() {
        daemon.requireFree(settings.address, settings.port);
        StringBuilder conf = new StringBuilder("server:\n")
                .append("    interface: ").append(settings.address).append('\n')
                .append("    port: ").append(settings.port).append('\n')
                .append("    do-not-query-localhost: no\n    username: \"\"\n    chroot: \"\"\n")
                .append("    directory: \"").append(dir).append("\"\n")
                .append("    pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("    use-syslog: no\n    logfile: \"").append(dir.resolve("unbound.log")).append("\"\n")
                .append("    verbosity: 1\n    val-log-level: 2\n    module-config: \"validator iterator\"\n")
                // Unbound answers .test itself (RFC 6761) unless told not to.
                .append("    local-zone: \"test.\" nodefault\n");
        settings.lines.forEach(line -> conf.append(line).append('\n'));
        conf.append("remote-control:\n    control-enable: no\n");
        settings.stubs.forEach(conf::append);
        Path config = dir.resolve("unbound.conf");
        try {
            Files.writeString(config, conf, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PeerException("cannot write unbound's configuration in " + dir + ": " + e.getMessage(), e);
        }
        List<String> command = List.of(Processes.which("unbound").toString(), "-d", "-c", config.toString());
        daemon.start(command, settings.address, settings.port, settings.startTimeout, this::log);
    }

    /** @return {@code address:port}, the form Mailslot's {@code org.mailslot.mx resolver} takes */
    public String resolver() {
        return settings.address + ":" + settings.port;
    }

    /** @return the last lines of unbound's log (validation failures at {@code val-log-level: 2}) */
    public String log() {
        return Processes.tail(dir.resolve("unbound.log"), Processes.LOG_TAIL_LINES);
    }

    /** Stops unbound by its PID, waits for it to exit and deletes its directory. */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "UnboundPeer[" + resolver() + "]";
    }
}
