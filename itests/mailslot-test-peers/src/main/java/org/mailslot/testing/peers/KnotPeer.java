package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code knotd} as the authoritative server of test zones on a loopback address and an
 * unprivileged port, signing the zones it is told to sign by itself (ECDSA P-256, NSEC), with keys
 * made at its first start in its own directory. {@link #ds(String)} gives the DS records a validating
 * resolver takes as the zone's trust anchor.
 *
 * <pre>{@code
 * try (KnotPeer knot = KnotPeer.builder().signedZone("dane.test", "@ MX 10 mx\nmx A 127.0.0.2\n").start()) {
 *     List<String> anchors = knot.ds("dane.test");
 * }
 * }</pre>
 *
 * <p>Runs in the foreground as a child of this JVM; {@link #close()} stops it by its PID and deletes
 * its directory.
 */
public final class KnotPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.41";

    /** The default port: unprivileged, not 53. */
    public static final int DEFAULT_PORT = 15354;

    private final Builder settings;
    private final ForegroundDaemon daemon;
    private final Path dir;

    private KnotPeer(Builder settings) {
        this.settings = settings;
        this.daemon = new ForegroundDaemon("knot");
        this.dir = daemon.dir();
    }

    /** @return a builder: 127.0.0.41:15354, no zones */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link KnotPeer}. */
    public static final class Builder {
        private String address = DEFAULT_ADDRESS;
        private int port = DEFAULT_PORT;
        private final Map<String, String> zones = new LinkedHashMap<>();
        private final Map<String, Boolean> signed = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** @param address a loopback address to listen on; @return this */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** @param port an unprivileged port; @return this */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * A zone knot signs.
         *
         * @param zone the zone's name, such as {@code dane.test}
         * @param records its records in zone file syntax, names relative to the zone; SOA and NS are added
         * @return this
         */
        public Builder signedZone(String zone, String records) {
            zones.put(zone, records);
            signed.put(zone, true);
            return this;
        }

        /** An unsigned zone, as {@link #signedZone} but served without DNSSEC; @return this */
        public Builder unsignedZone(String zone, String records) {
            zones.put(zone, records);
            signed.put(zone, false);
            return this;
        }

        /** Starts knot and waits until every signed zone is signed. @return the running peer */
        public KnotPeer start() {
            KnotPeer peer = new KnotPeer(this);
            return Processes.startedOrClosed(peer, peer::startProcess);
        }
    }

    private Path config() {
        return dir.resolve("knot.conf");
    }

    private void startProcess() {
        daemon.requireFree(settings.address, settings.port);
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n    listen: ").append(settings.address).append('@').append(settings.port).append('\n')
                .append("    rundir: ").append(dir).append('\n')
                .append("database:\n    storage: ").append(dir.resolve("db")).append('\n')
                .append("log:\n  - target: ").append(dir.resolve("knot.log")).append("\n    any: info\n")
                .append("policy:\n  - id: test\n    algorithm: ecdsap256sha256\n    nsec3: off\n")
                .append("template:\n  - id: default\n    storage: ").append(dir).append('\n')
                .append("zone:\n");
        try {
            Files.createDirectories(dir.resolve("db"));
            for (Map.Entry<String, String> zone : settings.zones.entrySet()) {
                String name = zone.getKey();
                conf.append("  - domain: ").append(name).append('\n');
                if (settings.signed.get(name)) {
                    conf.append("    dnssec-signing: on\n    dnssec-policy: test\n");
                }
                Files.writeString(dir.resolve(name + ".zone"), "$ORIGIN " + name + ".\n$TTL 300\n"
                        + "@ SOA ns." + name + ". admin." + name + ". 1 3600 600 86400 300\n"
                        + "@ NS ns." + name + ".\nns A " + settings.address + "\n" + zone.getValue() + "\n",
                        StandardCharsets.US_ASCII);
            }
            Files.writeString(config(), conf, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PeerException("cannot write knot's configuration in " + dir + ": " + e.getMessage(), e);
        }
        List<String> command = List.of(Processes.which("knotd").toString(), "-c", config().toString());
        daemon.start(command, settings.address, settings.port, settings.startTimeout, this::log);
        for (String zone : settings.zones.keySet()) {
            if (settings.signed.get(zone)) {
                await("knot signing " + zone).atMost(settings.startTimeout).pollInterval(Duration.ofMillis(200))
                        .until(() -> dig(zone, "DNSKEY").contains("DNSKEY"));
            }
        }
    }

    private String dig(String name, String type) {
        return Processes.run(Duration.ofSeconds(5), List.of(Processes.which("kdig").toString(),
                "@" + settings.address, "-p", Integer.toString(settings.port), "+short", "+dnssec", name, type)).output();
    }


    /**
     * @param zone a signed zone
     * @return its DS records in presentation form ({@code dane.test. DS 42893 13 2 549b...}), as
     *     {@code keymgr ZONE ds} prints them: a validating resolver's {@code trust-anchor} lines
     */
    public List<String> ds(String zone) {
        Processes.Result result = Processes.runChecked(Duration.ofSeconds(10), Processes.which("keymgr").toString(),
                "-c", config().toString(), zone, "ds");
        List<String> records = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.contains(" DS ")) {
                records.add(line.strip());
            }
        }
        if (records.isEmpty()) {
            throw new PeerException("keymgr printed no DS record for " + zone + ":\n" + result.output());
        }
        return records;
    }

    /** @return {@code address@port}, the form unbound's {@code stub-addr} takes */
    public String stubAddress() {
        return settings.address + "@" + settings.port;
    }

    /** @return the zones it serves */
    public List<String> zones() {
        return List.copyOf(settings.zones.keySet());
    }

    /** @return the last lines of knot's log */
    public String log() {
        return Processes.tail(dir.resolve("knot.log"), Processes.LOG_TAIL_LINES);
    }

    /** Stops knot by its PID, waits for it to exit and deletes its directory. */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "KnotPeer[" + stubAddress() + " " + settings.zones.keySet() + "]";
    }
}
