package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.transport.TlsSession;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy.Mode;

class MtaStsVerdictTest {

    private static final MtaStsPolicy ENFORCE = new MtaStsPolicy("1", Mode.ENFORCE, List.of("*.example.test"),
            Duration.ofDays(1));

    private static Optional<TlsSession> tls(Optional<String> error) {
        return Optional.of(new TlsSession("TLSv1.3", "TLS_AES_256_GCM_SHA384", "CN=mx", "CN=ca",
                Instant.parse("2027-01-01T00:00:00Z"), error.isEmpty(), error));
    }

    @Test
    void passesOnlyWhenNamedAndVerified() {
        assertThat(MtaStsVerdict.of(ENFORCE, "mx1.example.test", tls(Optional.empty())))
                .isEqualTo("passes: named by the MTA-STS policy, its certificate verifies for mx1.example.test");
        assertThat(MtaStsVerdict.of(ENFORCE, "mx1.other.test", tls(Optional.empty())))
                .isEqualTo("fails: NOT named by the MTA-STS policy [*.example.test]");
        assertThat(MtaStsVerdict.of(ENFORCE, "mx1.example.test", Optional.empty()))
                .isEqualTo("fails: named by the MTA-STS policy, but no TLS with it");
        assertThat(MtaStsVerdict.of(ENFORCE, "mx1.example.test", tls(Optional.of("PKIX path building failed"))))
                .isEqualTo("fails: named by the MTA-STS policy, but its certificate does not verify: PKIX path building failed");
    }

    @Test
    void aTestingPolicySaysItOnlyReports() {
        MtaStsPolicy testing = new MtaStsPolicy("1", Mode.TESTING, List.of("mx.example.test"), Duration.ofDays(1));

        assertThat(MtaStsVerdict.of(testing, "mx.other.test", Optional.empty()))
                .endsWith("(testing: only reported)");
    }
}
