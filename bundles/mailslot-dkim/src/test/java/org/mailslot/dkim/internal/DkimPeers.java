package org.mailslot.dkim.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.ToolRun;

/** Runs OpenDKIM on messages, and publishes key records in dnsmasq. */
final class DkimPeers {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DkimPeers() {
    }

    /** A TXT record in dnsmasq. */
    static DnsmasqPeer.Builder txt(DnsmasqPeer.Builder dns, String name, String record) {
        return dns.option(Dkimpy.txtRecordOption(name, record));
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
