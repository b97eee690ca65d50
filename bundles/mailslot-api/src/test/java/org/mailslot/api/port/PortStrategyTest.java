package org.mailslot.api.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortStrategyTest {

    @Test
    void credentialsOnlyEverTravelOverTls() {
        PortStrategy relay = PortStrategy.of(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        PortStrategy plain = PortStrategy.of(2526, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE);

        assertThat(relay.credentialsAllowed(false)).isFalse();
        assertThat(relay.credentialsAllowed(true)).isTrue();
        assertThat(plain.credentialsAllowed(true)).isFalse();
    }

    @Test
    void refusesRequiredAuthWithoutTlsAndPortsOutOfRange() {
        assertThatThrownBy(() -> PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.NONE, AuthPolicy.REQUIRED))
                .hasMessageContaining("credentials are never sent in clear");
        assertThatThrownBy(() -> PortStrategy.of(0, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE))
                .hasMessageContaining("not between 1 and 65535");
        assertThatThrownBy(() -> PortStrategy.of(65536, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE))
                .hasMessageContaining("not between 1 and 65535");
    }

    @Test
    void parsesConfigurationNamesAndListsTheChoicesOnError() {
        assertThat(TlsMode.fromConfigName("STARTTLS_required")).isEqualTo(TlsMode.STARTTLS_REQUIRED);
        assertThat(AuthPolicy.fromConfigName(" optional ")).isEqualTo(AuthPolicy.OPTIONAL);
        assertThat(PortRole.fromConfigName("submissions")).isEqualTo(PortRole.SUBMISSIONS);
        assertThatThrownBy(() -> TlsMode.fromConfigName("ssl"))
                .hasMessage("Unknown TLS mode \"ssl\"; expected one of: implicit, starttls-required,"
                        + " starttls-opportunistic, none");
        assertThatThrownBy(() -> AuthPolicy.fromConfigName(null)).hasMessageContaining("Unknown AUTH policy null");
    }

    @Test
    void onlyImplicitAndRequiredStarttlsRequireTls() {
        assertThat(TlsMode.IMPLICIT.requiresTls()).isTrue();
        assertThat(TlsMode.STARTTLS_REQUIRED.requiresTls()).isTrue();
        assertThat(TlsMode.STARTTLS_OPPORTUNISTIC.requiresTls()).isFalse();
        assertThat(TlsMode.NONE.requiresTls()).isFalse();
    }

    @Test
    void servicePropertiesDescribeTheStrategyInConfigurationNames() {
        PortStrategy strategy = PortStrategy.of(2587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);

        assertThat(PortStrategy.serviceProperties(strategy)).containsExactly(
                java.util.Map.entry("mailslot.port", 2587), java.util.Map.entry("mailslot.role", "submission"),
                java.util.Map.entry("mailslot.tls.mode", "starttls-required"),
                java.util.Map.entry("mailslot.auth.policy", "required"));
    }
}
