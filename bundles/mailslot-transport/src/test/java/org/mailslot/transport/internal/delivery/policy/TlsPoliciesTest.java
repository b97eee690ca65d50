package org.mailslot.transport.internal.delivery.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.transport.TlsPolicyLevel;

class TlsPoliciesTest {

    private static final MtaStsPolicy ENFORCED = new MtaStsPolicy("20261207", MtaStsPolicy.Mode.ENFORCE,
            List.of("mx.sts.test", "*.mail.sts.test"), Duration.ofDays(7));

    private static final MtaStsPolicies STS_PUBLISHES = domain -> domain.equals("sts.test") ? Optional.of(ENFORCED)
            : Optional.empty();

    @Test
    void withoutConfigurationEveryDomainIsOpportunistic() {
        DestinationPolicy policy = TlsPolicies.opportunistic().decide("Example.COM");
        assertThat(policy.level()).isEqualTo(TlsPolicyLevel.MAY);
        assertThat(policy.why()).isEqualTo("tls.security.level=may");
        assertThat(policy.domain()).isEqualTo("example.com");
    }

    @Test
    void anEntryForTheDomainOrTheLongestParentWins() {
        TlsPolicies policies = TlsPolicies.parse("MX delivery: ", "dane",
                new String[] {"bank.test=dane-only, .corp.test=secure", ".a.corp.test=encrypt", "sts.test=verify"},
                () -> STS_PUBLISHES);
        assertThat(policies.decide("bank.test").level()).isEqualTo(TlsPolicyLevel.DANE_ONLY);
        assertThat(policies.decide("bank.test").why()).isEqualTo("tls.policy entry bank.test");
        assertThat(policies.decide("x.corp.test").level()).isEqualTo(TlsPolicyLevel.SECURE);
        assertThat(policies.decide("y.a.corp.test").level()).isEqualTo(TlsPolicyLevel.ENCRYPT);
        assertThat(policies.decide("y.a.corp.test").why()).isEqualTo("tls.policy entry .a.corp.test");
        // .corp.test names the sub-domains, not corp.test itself.
        assertThat(policies.decide("corp.test").level()).isEqualTo(TlsPolicyLevel.DANE);
        // The entry wins over a published MTA-STS policy.
        assertThat(policies.decide("sts.test").level()).isEqualTo(TlsPolicyLevel.VERIFY);
    }

    @Test
    void aPublishedMtaStsPolicyAppliesOverMay() {
        TlsPolicies policies = new TlsPolicies(TlsPolicyLevel.MAY, Map.of(), () -> STS_PUBLISHES);
        DestinationPolicy policy = policies.decide("sts.test");
        assertThat(policy.level()).isEqualTo(TlsPolicyLevel.MTA_STS);
        assertThat(policy.why()).isEqualTo("sts.test publishes an MTA-STS policy (enforce, id 20261207)");
        assertThat(policy.mtaSts()).contains(ENFORCED);
        assertThat(policies.decide("other.test").level()).isEqualTo(TlsPolicyLevel.MAY);
    }

    @Test
    void daneAsTheDefaultComesBeforeMtaStsAndKeepsItForHostsWithoutTlsa() {
        TlsPolicies policies = new TlsPolicies(TlsPolicyLevel.DANE, Map.of(), () -> STS_PUBLISHES);
        DestinationPolicy policy = policies.decide("sts.test");
        assertThat(policy.level()).isEqualTo(TlsPolicyLevel.DANE);
        assertThat(policy.mtaSts()).contains(ENFORCED);
    }

    @Test
    void aWithdrawnMtaStsPolicyIsNoPolicy() {
        MtaStsPolicy none = new MtaStsPolicy("2", MtaStsPolicy.Mode.NONE, List.of(), Duration.ofDays(1));
        TlsPolicies policies = new TlsPolicies(TlsPolicyLevel.MAY, Map.of(), () -> domain -> Optional.of(none));
        assertThat(policies.decide("sts.test").level()).isEqualTo(TlsPolicyLevel.MAY);
    }

    @Test
    void mtaStsPatternsNameOneLeftmostLabel() {
        assertThat(ENFORCED.names("mx.sts.test.")).isTrue();
        assertThat(ENFORCED.names("MX1.mail.sts.test")).isTrue();
        assertThat(ENFORCED.names("a.b.mail.sts.test")).isFalse();
        assertThat(ENFORCED.names("mail.sts.test")).isFalse();
        assertThat(ENFORCED.names("evil.test")).isFalse();
    }

    @Test
    void badValuesAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> TlsPolicies.parse("MX delivery: ", "dain", new String[0], () -> STS_PUBLISHES))
                .hasMessageContaining("MX delivery: tls.security.level: Unknown TLS policy level \"dain\"")
                .hasMessageContaining("may, encrypt, dane, dane-only, verify, secure, mta-sts");
        assertThatThrownBy(() -> TlsPolicies.parse("MX delivery: ", "mta-sts", new String[0], () -> STS_PUBLISHES))
                .hasMessageContaining("tls.security.level: mta-sts is not set");
        assertThatThrownBy(() -> TlsPolicies.parse("MX delivery: ", "may", new String[] {"example.com"},
                () -> STS_PUBLISHES)).hasMessageContaining("tls.policy: 'example.com' is not DOMAIN=LEVEL");
        assertThatThrownBy(() -> TlsPolicies.parse("MX delivery: ", "may", new String[] {"example.com=strict"},
                () -> STS_PUBLISHES)).hasMessageContaining("tls.policy entry example.com: Unknown TLS policy level");
        assertThatThrownBy(() -> TlsPolicies.parse("MX delivery: ", "may",
                new String[] {"example.com=dane example.com=may"}, () -> STS_PUBLISHES))
                .hasMessageContaining("example.com has more than one entry");
    }
}
