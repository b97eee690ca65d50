package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.NginxPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.delivery.TestTlsAccess;

/**
 * MTA-STS against real peers: Debian's dnsmasq publishes the {@code _mta-sts} TXT records and the
 * policy hosts' addresses on 127.0.0.8:15353, Debian's nginx serves the policies over HTTPS on
 * 127.0.0.21:443 with certificates from a test CA (one per policy host, chosen by SNI).
 */
class MtaStsIT {

    private static final String NGINX = NginxPeer.DEFAULT_ADDRESS;
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.sts.test\nmax_age: 86400\n";
    private static final String POLICY = ".well-known/mta-sts.txt";

    @TempDir
    static Path dir;

    private static DnsmasqPeer dns;
    private static NginxPeer nginx;
    private static TlsServiceImpl tls;

    @BeforeAll
    static void startPeers() throws Exception {
        TestCa ca = TestCa.create();
        nginx = NginxPeer.builder()
                .site("mta-sts.sts.test", ca.issueServer("mta-sts.sts.test")).file("mta-sts.sts.test", POLICY, ENFORCE)
                .site("mta-sts.untrusted.test", ca.issueUntrustedServer("mta-sts.untrusted.test"))
                .file("mta-sts.untrusted.test", POLICY, ENFORCE)
                .site("mta-sts.misnamed.test", ca.issueServer("www.misnamed.test"))
                .file("mta-sts.misnamed.test", POLICY, ENFORCE)
                .site("mta-sts.large.test", ca.issueServer("mta-sts.large.test"))
                .file("mta-sts.large.test", POLICY, ENFORCE + "x: " + "y".repeat(PolicyFetcher.MAX_BYTES) + "\n")
                .site("mta-sts.missing.test", ca.issueServer("mta-sts.missing.test"))
                .start();
        DnsmasqPeer.Builder records = DnsmasqPeer.builder().localDomain("test");
        for (String domain : List.of("sts.test", "untrusted.test", "misnamed.test", "large.test", "missing.test")) {
            records.host("mta-sts." + domain, NGINX).option("--txt-record=_mta-sts." + domain + ",v=STSv1; id=20261207;");
        }
        dns = records.start();
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client",
                "secret".toCharArray());
        tls = TestTlsAccess.service(identity, ca.writeCertificatePem(dir.resolve("ca.pem")));
    }

    @AfterAll
    static void stopPeers() {
        if (dns != null) {
            dns.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static PolicyFetcher fetcher() {
        return new PolicyFetcher(tls, new StsDns(dns.resolver(), Duration.ofSeconds(2)), Duration.ofSeconds(10),
                NginxPeer.DEFAULT_PORT, Clock.systemUTC());
    }

    @Test
    void thePolicyIsFetchedOverVerifiedHttpsAndKeptOnDisk() throws Exception {
        Path cache = dir.resolve("cache");
        StsDns lookups = new StsDns(dns.resolver(), Duration.ofSeconds(2));
        PublishedPolicies policies = new PublishedPolicies(lookups::txt, fetcher()::fetch, new PolicyStore(cache),
                Clock.systemUTC());

        CachedPolicy policy = policies.policy("sts.test").orElseThrow();

        assertThat(policy.id()).isEqualTo("20261207");
        assertThat(policy.policy()).isEqualTo(StsPolicy.parse(ENFORCE));
        assertThat(nginx.requests()).anyMatch(line -> line.contains("\"GET /.well-known/mta-sts.txt HTTP/1.1\" 200"));
        assertThat(new PolicyStore(cache).load()).containsExactly(policy);
    }

    @Test
    void aCertificateFromAnUntrustedCaIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("untrusted.test"))
                .hasMessageContaining("https://mta-sts.untrusted.test/.well-known/mta-sts.txt could not be fetched")
                .hasMessageContaining("PKIX");
    }

    @Test
    void aCertificateForAnotherNameIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("misnamed.test"))
                .hasMessageContaining("https://mta-sts.misnamed.test/.well-known/mta-sts.txt could not be fetched")
                .hasMessageContaining("mta-sts.misnamed.test");
    }

    @Test
    void aPolicyLargerThan64KiBIsRefused() {
        assertThatThrownBy(() -> fetcher().fetch("large.test"))
                .hasMessageContaining("more than the 65536 allowed");
    }

    @Test
    void aMissingPolicyFileIsNoPolicy() {
        assertThatThrownBy(() -> fetcher().fetch("missing.test"))
                .hasMessageContaining("answered 404 Not Found (only 200 is a policy");
    }
}
