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
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.DnsmasqPeer;

/** Key lookups over real DNS: timeouts and SERVFAIL are temporary, NXDOMAIN permanent; the cache keeps answers. */
class KeyLookupTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void aServerThatNeverAnswersGivesTemperror() throws Exception {
        // A UDP socket that takes queries and answers none: the lookup times out.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsKeyLookup lookup = new DnsKeyLookup("127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1));
            KeyAnswer answer = lookup.lookup("s1._domainkey.example.test");
            assertThat(answer.kind()).isEqualTo(KeyAnswer.Kind.FAILED);
            assertThat(answer.detail()).startsWith("key lookup for s1._domainkey.example.test at 127.0.0.1:"
                    + silent.getLocalPort() + " failed: ");

            KeyFile key = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
            byte[] signed = SignerTest.signed(new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, clock),
                    Messages.simple("alice@example.test"),
                    List.of(new SigningKey("example.test", "s1", key.algorithm(), key.privateKey())));
            DkimSignatureResult result = new Verifier(new CachingKeyLookup(lookup, clock), clock)
                    .verify(MessageSource.of(signed)).signatures().get(0);
            assertThat(result.result()).isEqualTo(DkimResult.TEMPERROR);
        }
    }

    @Test
    void servfailIsTemporaryAndNxdomainPermanent() {
        // dnsmasq forwards .broken to a port where nothing listens: it answers SERVFAIL or REFUSED.
        try (DnsmasqPeer dns = DnsmasqPeer.builder().localDomain("test").forward("broken", "127.0.0.1", 9).start()) {
            DnsKeyLookup lookup = new DnsKeyLookup(dns.resolver(), Duration.ofSeconds(3));
            assertThat(lookup.lookup("s1._domainkey.example.broken").kind()).isEqualTo(KeyAnswer.Kind.FAILED);
            KeyAnswer missing = lookup.lookup("s1._domainkey.example.test");
            assertThat(missing.kind()).isEqualTo(KeyAnswer.Kind.MISSING);
            assertThat(missing.detail()).isEqualTo("no key record at s1._domainkey.example.test (NXDOMAIN)");
        }
    }

    @Test
    void answersAreKeptForTheirTtlAndFailuresAreNot() {
        AtomicReference<KeyAnswer> next = new AtomicReference<>(KeyAnswer.failed("timed out"));
        MutableClock time = new MutableClock();
        int[] asked = {0};
        CachingKeyLookup cache = new CachingKeyLookup(name -> {
            asked[0]++;
            return next.get();
        }, time);
        cache.lookup("a._domainkey.example.test");
        cache.lookup("a._domainkey.example.test");
        assertThat(asked[0]).isEqualTo(2);

        next.set(KeyAnswer.found(List.of("v=DKIM1; p=x"), 10));
        cache.lookup("a._domainkey.example.test");
        cache.lookup("A._domainkey.example.test");
        assertThat(asked[0]).isEqualTo(3);
        // A TTL of 10 s is kept for the minimum of 60 s.
        time.advance(Duration.ofSeconds(59));
        cache.lookup("a._domainkey.example.test");
        assertThat(asked[0]).isEqualTo(3);
        time.advance(Duration.ofSeconds(2));
        cache.lookup("a._domainkey.example.test");
        assertThat(asked[0]).isEqualTo(4);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T04:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
