package org.mailslot.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

class PortStrategiesTest {

    @Test
    void builtInsFollowThePortsTable() {
        assertThat(new Relay25Strategy()).extracting(PortStrategy::port, PortStrategy::role, PortStrategy::tlsMode, PortStrategy::authPolicy)
                .containsExactly(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        assertThat(new Submission587Strategy()).extracting(PortStrategy::port, PortStrategy::role, PortStrategy::tlsMode, PortStrategy::authPolicy)
                .containsExactly(587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        assertThat(new Submissions465Strategy()).extracting(PortStrategy::port, PortStrategy::role, PortStrategy::tlsMode, PortStrategy::authPolicy)
                .containsExactly(465, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        assertThat(new Alternate2525Strategy()).extracting(PortStrategy::port, PortStrategy::role, PortStrategy::tlsMode, PortStrategy::authPolicy)
                .containsExactly(2525, PortRole.ALTERNATE, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
    }

    @Test
    void configurationDefinesAStrategy() {
        PortStrategy strategy = ConfiguredPortStrategy.strategyOf(config(10587, "submission", "starttls-required", "required"));

        assertThat(strategy).extracting(PortStrategy::port, PortStrategy::role, PortStrategy::tlsMode, PortStrategy::authPolicy)
                .containsExactly(10587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
    }

    @Test
    void badConfigurationIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConfiguredPortStrategy.strategyOf(config(587, "submission", "ssl", "required")))
                .hasMessageContaining("Unknown TLS mode \"ssl\"");
        assertThatThrownBy(() -> ConfiguredPortStrategy.strategyOf(config(587, null, "implicit", "required")))
                .hasMessage("Property role is missing");
        assertThatThrownBy(() -> ConfiguredPortStrategy.strategyOf(config(587, "submission", "none", "required")))
                .hasMessageContaining("credentials are never sent in clear");
        assertThatThrownBy(() -> ConfiguredPortStrategy.strategyOf(config(70000, "relay", "none", "none")))
                .hasMessageContaining("not between 1 and 65535");
    }

    private static ConfiguredPortStrategy.Config config(int port, String role, String tls, String auth) {
        return new ConfiguredPortStrategy.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConfiguredPortStrategy.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String role() {
                return role;
            }

            @Override
            public String tls_mode() {
                return tls;
            }

            @Override
            public String auth_policy() {
                return auth;
            }

            @Override
            public int service_ranking() {
                return ConfiguredPortStrategy.DEFAULT_RANKING;
            }
        };
    }
}
