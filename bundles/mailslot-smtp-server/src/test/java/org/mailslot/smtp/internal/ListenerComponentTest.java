package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.osgi.framework.Constants;

/** The DS component as SCR drives it: constructor, strategy bind and unbind, deactivate. */
class ListenerComponentTest extends ListenerTestSupport {

    @Test
    void followsTheHighestRankedStrategyForItsPort() throws Exception {
        ListenerComponent component = new ListenerComponent(
                Configs.of(ListenerConfig.class, "port", 0, "strategy", 587, "hostname", HOST),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~submission", "port", 0), tls);
        try {
            assertThat(component.status().name()).isEqualTo("submission");
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);

            component.addStrategy(RELAY, Map.of());
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);

            PortStrategy custom = PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
            component.addStrategy(SUBMISSION, Map.of());
            component.addStrategy(custom, Map.of(Constants.SERVICE_RANKING, 10));
            assertThat(component.status().state()).isEqualTo(ListenerState.BOUND);
            assertThat(component.status().tlsMode()).contains(TlsMode.IMPLICIT);

            component.removeStrategy(custom);
            assertThat(component.status().tlsMode()).contains(TlsMode.STARTTLS_REQUIRED);
            try (SmtpClient client = SmtpClient.connect(component.status().port())) {
                assertThat(client.reply()).startsWith("220 " + HOST);
            }
            component.removeStrategy(SUBMISSION);
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);
            assertThat(component.status().tlsMode()).isEqualTo(Optional.empty());
        } finally {
            component.deactivate();
        }
        assertThat(component.status().state()).isEqualTo(ListenerState.CLOSING);
    }

    @Test
    void refusesAConfigurationWithoutPortOrStrategy() {
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "strategy", 587),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x"), tls))
                .hasMessage("listener x: port is required");
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "port", 10587),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 10587), tls))
                .hasMessageContaining("listener x: strategy must name a port");
        assertThatThrownBy(() -> new ListenerComponent(
                Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587, "sender.binding", "loose"),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 10587), tls))
                .hasMessageContaining("sender.binding");
    }

}
