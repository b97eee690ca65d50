package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsJavaQuery;
import org.mailslot.testing.peers.DnsmasqPeer;

/**
 * Key lookups over real DNS: timeouts and SERVFAIL are temporary, NXDOMAIN permanent (the cache's own
 * rules are mailslot-support's DnsQueryTest).
 */
class KeyLookupTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void aServerThatNeverAnswersGivesTemperror() throws Exception {
        // A UDP socket that takes queries and answers none: the lookup times out.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsJavaQuery dns = new DnsJavaQuery("127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1));
            DnsKeyLookup lookup = new DnsKeyLookup(dns);
            KeyAnswer answer = lookup.lookup("s1._domainkey.example.test");
            assertThat(answer.kind()).isEqualTo(KeyAnswer.Kind.FAILED);
            assertThat(answer.detail()).startsWith("TXT lookup of s1._domainkey.example.test at 127.0.0.1:"
                    + silent.getLocalPort() + " failed: ");

            KeyFile key = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
            byte[] signed = SignerTest.signed(new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, clock),
                    Messages.simple("alice@example.test"),
                    List.of(new SigningKey("example.test", "s1", key.algorithm(), key.privateKey())));
            DkimSignatureResult result = new Verifier(new DnsKeyLookup(new CachingDnsQuery(dns, clock)), clock)
                    .verify(MessageSource.of(signed)).signatures().get(0);
            assertThat(result.result()).isEqualTo(DkimResult.TEMPERROR);
        }
    }

    @Test
    void servfailIsTemporaryAndNxdomainPermanent() {
        // dnsmasq forwards .broken to a port where nothing listens: it answers SERVFAIL or REFUSED.
        try (DnsmasqPeer dns = DnsmasqPeer.builder().localDomain("test").forward("broken", "127.0.0.1", 9).start()) {
            DnsKeyLookup lookup = new DnsKeyLookup(new DnsJavaQuery(dns.resolver(), Duration.ofSeconds(3)));
            assertThat(lookup.lookup("s1._domainkey.example.broken").kind()).isEqualTo(KeyAnswer.Kind.FAILED);
            KeyAnswer missing = lookup.lookup("s1._domainkey.example.test");
            assertThat(missing.kind()).isEqualTo(KeyAnswer.Kind.MISSING);
            assertThat(missing.detail()).isEqualTo("no key record at s1._domainkey.example.test (NXDOMAIN)");
        }
    }
}
