package org.mailslot.dkim.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.ToolRun;

/** Runs python3-dkim and OpenDKIM on messages, and publishes key records in dnsmasq. */
final class DkimPeers {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DkimPeers() {
    }

    /** A TXT record as dnsmasq takes it: character-strings of at most 255 octets, comma-separated. */
    static DnsmasqPeer.Builder txt(DnsmasqPeer.Builder dns, String name, String record) {
        List<String> strings = new ArrayList<>();
        for (int at = 0; at < record.length(); at += 255) {
            strings.add(record.substring(at, Math.min(record.length(), at + 255)));
        }
        return dns.option("--txt-record=" + name + "," + String.join(",", strings));
    }

    /** python3-dkim's verification of every signature, keys from the DNS server. */
    static ToolRun dkimpyVerify(Path script, String resolver, byte[] message) {
        return ToolRun.run(TIMEOUT, message, Map.of(), List.of("/usr/bin/python3", script.toString(), resolver));
    }

    /** {@code dkimsign SELECTOR DOMAIN KEYFILE} with the given extra options. */
    static ToolRun dkimsign(String selector, String domain, Path key, byte[] message, String... options) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "/usr/bin/dkimsign", selector, domain,
                key.toString()));
        command.addAll(List.of(options));
        return ToolRun.run(TIMEOUT, message, Map.of(), command);
    }

    /**
     * OpenDKIM in its test mode ({@code opendkim -t}) with the configuration given: it prints the
     * header fields it would add (DKIM-Signature when signing, Authentication-Results when verifying).
     */
    static ToolRun opendkim(Path config, Path message, String... options) {
        List<String> command = new ArrayList<>(List.of("opendkim", "-x", config.toString(), "-t", message.toString()));
        command.addAll(List.of(options));
        return ToolRun.run(TIMEOUT, null, Map.of(), command);
    }
}
