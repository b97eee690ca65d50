package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.transport.internal.delivery.policy.DestinationPolicy;
import org.mailslot.transport.internal.delivery.policy.DestinationTls;
import org.mailslot.transport.internal.delivery.policy.HostTls;
import org.xbill.DNS.Type;

/**
 * What a TLS report holds against a destination whose MX lookup failed under DANE, asked of a tiny
 * resolver that sets the AD bit and answers bogus records as a validating one does.
 */
class UntrustedMxTest {

    private final TinyDns dns = new TinyDns().validated();
    private final DestinationTls tls = new DestinationTls(new DnssecLookups(dns.address(), Duration.ofSeconds(2),
            Clock.systemUTC()));

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private static DestinationPolicy policy(String domain, TlsPolicyLevel level) {
        return new DestinationPolicy(domain, level, "tls.security.level=" + level, Optional.empty());
    }

    @Test
    void aBogusMxRrsetIsHeldAgainstTheDomain() {
        dns.mx("bogus.test", 10, "mx.bogus.test").a("mx.bogus.test", "127.0.0.2")
                .fail("bogus.test", Type.MX, TinyDns.Failure.BOGUS);

        Map<String, HostTls.Refuse> untrusted = tls.untrustedMx(policy("bogus.test", TlsPolicyLevel.DANE));

        assertThat(untrusted).containsOnlyKeys("");
        assertThat(untrusted.get("").reported()).isEqualTo(TlsResultType.DNSSEC_INVALID);
        assertThat(untrusted.get("").reason()).contains("MX records of bogus.test. are bogus");
    }

    @Test
    void bogusAddressRecordsAreHeldAgainstTheirMxHost() {
        dns.mx("addr.test", 10, "mx.addr.test").mx("addr.test", 20, "backup.addr.test")
                .a("mx.addr.test", "127.0.0.2").fail("mx.addr.test", Type.A, TinyDns.Failure.BOGUS)
                .a("backup.addr.test", "127.0.0.3");

        Map<String, HostTls.Refuse> untrusted = tls.untrustedMx(policy("addr.test", TlsPolicyLevel.DANE_ONLY));

        assertThat(untrusted).containsOnlyKeys("mx.addr.test");
        assertThat(untrusted.get("mx.addr.test").reported()).isEqualTo(TlsResultType.DNSSEC_INVALID);
        assertThat(untrusted.get("mx.addr.test").reason()).contains("A records of mx.addr.test. are bogus");
    }

    @Test
    void withoutMxRecordsTheDomainIsItsOwnHost() {
        dns.a("implicit.test", "127.0.0.2").fail("implicit.test", Type.A, TinyDns.Failure.BOGUS);

        assertThat(tls.untrustedMx(policy("implicit.test", TlsPolicyLevel.DANE))).containsOnlyKeys("implicit.test");
    }

    @Test
    void nothingIsHeldWhereDnssecFoundNothingWrongOrDaneDoesNotApply() {
        dns.mx("fine.test", 10, "mx.fine.test").a("mx.fine.test", "127.0.0.2")
                .mx("other.test", 10, "mx.other.test").a("mx.other.test", "127.0.0.2")
                .fail("other.test", Type.MX, TinyDns.Failure.BOGUS);

        assertThat(tls.untrustedMx(policy("fine.test", TlsPolicyLevel.DANE))).isEmpty();
        assertThat(tls.untrustedMx(policy("other.test", TlsPolicyLevel.MAY))).isEmpty();
        assertThat(tls.untrustedMx(policy("other.test", TlsPolicyLevel.MTA_STS))).isEmpty();
    }
}
