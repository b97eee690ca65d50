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
    private final Map<String, Path> dsFiles = new LinkedHashMap<>();

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
    public static final class Builder extends ListenerSettings<Builder> {
        private final Map<String, String> zones = new LinkedHashMap<>();
        private final Map<String, Boolean> signed = new LinkedHashMap<>();
        private final Map<String, List<String>> badSignatures = new LinkedHashMap<>();

        private Builder() {
            super(DEFAULT_ADDRESS, DEFAULT_PORT, Duration.ofSeconds(20));
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

        /**
         * A signed zone in which the signature of one RRset does not verify: the zone is signed with
         * {@code ldns-signzone} (ECDSA P-256, NSEC) instead of by knot, that signature altered, and
         * the result served as it is. A validating resolver finds that RRset bogus, the rest secure.
         *
         * @param zone the zone's name
         * @param records as for {@link #signedZone}
         * @param owner the RRset's owner, relative to the zone ({@code _25._tcp.mx}, or {@code @})
         * @param type its type ({@code TLSA})
         * @return this
         */
        public Builder badSignature(String zone, String records, String owner, String type) {
            zones.put(zone, records);
            signed.put(zone, false);
            badSignatures.put(zone, List.of(owner, type));
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
                if (settings.badSignatures.containsKey(name)) {
                    signBadly(name, settings.badSignatures.get(name));
                    conf.append("    file: ").append(dir.resolve(name + ".zone.signed")).append('\n');
                }
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

    /** Signs the zone with a key of its own, then alters the signature of {@code rrset} (owner, type). */
    private void signBadly(String zone, List<String> rrset) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys-" + zone));
        String key = Processes.runChecked(Duration.ofSeconds(30), "sh", "-c", "cd " + keys
                + " && " + Processes.which("ldns-keygen") + " -a ECDSAP256SHA256 -k " + zone).output().strip();
        Processes.runChecked(Duration.ofSeconds(30), Processes.which("ldns-signzone").toString(), "-f",
                dir.resolve(zone + ".zone.signed").toString(), "-o", zone + ".", dir.resolve(zone + ".zone").toString(),
                keys.resolve(key).toString());
        String owner = rrset.get(0).equals("@") ? zone + "." : rrset.get(0) + "." + zone + ".";
        Path signedFile = dir.resolve(zone + ".zone.signed");
        List<String> lines = new ArrayList<>();
        boolean altered = false;
        for (String line : Files.readAllLines(signedFile, StandardCharsets.US_ASCII)) {
            String[] fields = line.split("\\s+");
            if (fields.length > 5 && fields[0].equalsIgnoreCase(owner) && fields[3].equals("RRSIG")
                    && fields[4].equalsIgnoreCase(rrset.get(1))) {
                String signature = fields[fields.length - 1];
                int at = signature.length() / 2;
                line = line.substring(0, line.length() - signature.length()) + signature.substring(0, at)
                        + (signature.charAt(at) == 'A' ? 'B' : 'A') + signature.substring(at + 1);
                altered = true;
            }
            lines.add(line);
        }
        if (!altered) {
            throw new PeerException("ldns-signzone made no signature of " + owner + " " + rrset.get(1));
        }
        Files.write(signedFile, lines, StandardCharsets.US_ASCII);
        dsFiles.put(zone, keys.resolve(key + ".key"));
    }

    private String dig(String name, String type) {
        return Processes.run(Duration.ofSeconds(5), List.of(Processes.which("kdig").toString(),
                "@" + settings.address, "-p", Integer.toString(settings.port), "+short", "+dnssec", name, type)).output();
    }

    /**
     * @param zone a signed zone
     * @return its DS records in presentation form ({@code dane.test. DS 42893 13 2 549b...}), as
     *     {@code keymgr ZONE ds} (or {@code ldns-key2ds} for a zone with a {@link Builder#badSignature})
     *     prints them: a validating resolver's {@code trust-anchor} lines
     */
    public List<String> ds(String zone) {
        Processes.Result result = dsFiles.containsKey(zone)
                ? Processes.runChecked(Duration.ofSeconds(10), Processes.which("ldns-key2ds").toString(), "-n", "-2",
                        dsFiles.get(zone).toString())
                : Processes.runChecked(Duration.ofSeconds(10), Processes.which("keymgr").toString(), "-c",
                        config().toString(), zone, "ds");
        List<String> records = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            String record = String.join(" ", line.strip().split("\\s+"));
            if (record.contains(" DS ")) {
                records.add(record);
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
