package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's OpenDMARC ({@code opendmarc -t}, one message evaluated as the milter would) as a DMARC
 * peer. It takes SPF and DKIM results from the message's {@code Authentication-Results} fields of a
 * trusted authserv-id, and looks DMARC records up through /etc/resolv.conf, which names no port: each
 * run gets a mount namespace of its own ({@code unshare -m}) where /etc/resolv.conf names the test
 * DNS, a {@link DnsmasqPeer} on port 53 ({@link DnsmasqPeer.Builder#standardPort()}). Needs root.
 */
public final class OpenDmarc {

    /** How long one run may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern RESULT = Pattern.compile("dmarc=(\\w+) \\(p=(\\w+) dis=(\\w+)\\) header\\.from=([^']+)'");

    /**
     * What OpenDMARC added, {@code dmarc=fail (p=quarantine dis=quarantine) header.from=example.com};
     * for a message it refused ({@code RejectFailures}), {@code fail}, {@code reject}, {@code reject}
     * and no domain.
     */
    public record Result(String result, String policy, String disposition, String fromDomain) {
    }

    private OpenDmarc() {
    }

    /**
     * @param dnsAddress the address of the DNS server on port 53
     * @param trustedAuthservId whose {@code Authentication-Results} OpenDMARC believes
     * @param message the message, with those fields
     * @return OpenDMARC's verdict
     */
    public static Result evaluate(String dnsAddress, String trustedAuthservId, byte[] message) {
        Processes.requireRoot("opendmarc");
        Path dir = Processes.createWorkDirectory("opendmarc-");
        try {
            Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver " + dnsAddress + "\noptions timeout:2 attempts:1\n");
            Path conf = Files.writeString(dir.resolve("opendmarc.conf"), String.join("\n",
                    "AuthservID opendmarc.test", "TrustedAuthservIDs " + trustedAuthservId,
                    "PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat", "RejectFailures true",
                    "HoldQuarantinedMessages true",
                    "DNSTimeout 3", ""));
            Path file = dir.resolve("message.eml");
            Files.write(file, message);
            ToolRun run = ToolRun.run(TIMEOUT, new byte[0], Map.of(), List.of("unshare", "-m", "sh", "-c",
                    "mount --bind " + resolv + " /etc/resolv.conf && exec /usr/sbin/opendmarc -c " + conf + " -t " + file + " -v -v"));
            String output = run.stdoutText() + run.stderr();
            Matcher matcher = RESULT.matcher(output);
            if (output.contains("mlfi_eom() returned SMFIS_REJECT")) {
                // A refused message gets no field: the refusal is the verdict.
                return new Result("fail", "reject", "reject", "");
            }
            if (!matcher.find()) {
                throw new PeerException("opendmarc gave no DMARC result: " + run.describe() + "\n" + output);
            }
            return new Result(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Processes.deleteTree(dir);
        }
    }

}
