package org.mailslot.support.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.MutableClock;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** No answer is a failure, never a missing record; the cache keeps answers for their TTL and failures not at all. */
class DnsQueryTest {

    @Test
    void aServerThatNeverAnswersIsAFailureNamingTheServer() throws Exception {
        // A UDP socket that takes queries and answers none: the query times out.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsJavaQuery query = new DnsJavaQuery("127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1));
            DnsAnswer answer = query.query("s1._domainkey.example.test", Type.TXT);
            assertThat(answer.kind()).isEqualTo(DnsAnswer.Kind.FAILED);
            assertThat(answer.error()).startsWith("TXT lookup of s1._domainkey.example.test at 127.0.0.1:"
                    + silent.getLocalPort() + " failed: ");
        }
    }

    @Test
    void answersAreKeptForTheirTtlAtLeastAMinuteAndFailuresAreNot() throws Exception {
        TXTRecord record = new TXTRecord(Name.fromString("a.example.test."), DClass.IN, 10, "v=DKIM1; p=x");
        AtomicReference<DnsAnswer> next = new AtomicReference<>(DnsAnswer.failed("timed out"));
        AtomicInteger asked = new AtomicInteger();
        MutableClock time = new MutableClock(Instant.parse("2026-12-07T04:00:00Z"));
        CachingDnsQuery cache = new CachingDnsQuery((name, type) -> {
            asked.incrementAndGet();
            return next.get();
        }, time);
        cache.query("a.example.test", Type.TXT);
        cache.query("a.example.test", Type.TXT);
        assertThat(asked).hasValue(2);

        next.set(DnsAnswer.found(List.of(record), 10));
        assertThat(cache.query("a.example.test", Type.TXT).texts()).containsExactly("v=DKIM1; p=x");
        cache.query("A.example.test.", Type.TXT);
        assertThat(asked).hasValue(3);
        time.advance(Duration.ofSeconds(59));
        cache.query("a.example.test", Type.TXT);
        assertThat(asked).hasValue(3);
        time.advance(Duration.ofSeconds(2));
        cache.query("a.example.test", Type.TXT);
        assertThat(asked).hasValue(4);

        next.set(DnsAnswer.nxdomain());
        cache.query("gone.example.test", Type.TXT);
        time.advance(Duration.ofSeconds(299));
        cache.query("gone.example.test", Type.TXT);
        assertThat(asked).as("a missing name is kept for five minutes").hasValue(5);
    }
}
