package org.mailslot.testing.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's python3-spf (pyspf, what {@code spfquery} runs) as an SPF peer, asking the given DNS
 * server (a {@link DnsmasqPeer}) instead of /etc/resolv.conf. Run with /usr/bin/python3: a python3
 * earlier on the PATH may not see Debian's packages.
 */
public final class Pyspf {

    /** How long one run may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String CHECK = """
            import sys
            import dns.resolver
            import spf

            host, port = sys.argv[1].rsplit(':', 1)
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [host]
            resolver.port = int(port)
            resolver.lifetime = 3
            dns.resolver.default_resolver = resolver
            ip, sender, helo = sys.argv[2:5]
            result, code, explanation = spf.query(i=ip, s=sender, h=helo, timeout=3).check()
            print(result)
            print(explanation)
            """;

    private Pyspf() {
    }

    /**
     * {@code check_host()} as pyspf runs it (strict, RFC 7208).
     *
     * @param resolver {@code address:port} of the DNS server publishing the records
     * @param ip the client's address
     * @param sender the MAIL FROM address, or {@code postmaster@HELO} for the HELO identity
     * @param helo the HELO name
     * @return the result keyword ({@code pass}, {@code fail}, {@code softfail}, {@code neutral},
     *     {@code none}, {@code temperror}, {@code permerror})
     */
    public static String check(String resolver, String ip, String sender, String helo) {
        ToolRun run = ToolRun.run(TIMEOUT, new byte[0], Map.of(),
                List.of("/usr/bin/python3", "-c", CHECK, resolver, ip, sender, helo)).orThrow();
        return run.stdoutText().lines().findFirst().orElseThrow(() -> new PeerException("pyspf printed nothing: " + run.describe()));
    }
}
