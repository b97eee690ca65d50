package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

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

            ServiceReference<PortStrategy> relay = reference(1, 0);
            component.addStrategy(relay, RELAY);
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);

            ServiceReference<PortStrategy> builtIn = reference(2, 0);
            ServiceReference<PortStrategy> custom = reference(3, 10);
            component.addStrategy(builtIn, SUBMISSION);
            component.addStrategy(custom, PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.IMPLICIT, AuthPolicy.REQUIRED));
            assertThat(component.status().state()).isEqualTo(ListenerState.BOUND);
            assertThat(component.status().tlsMode()).contains(TlsMode.IMPLICIT);

            component.removeStrategy(custom);
            assertThat(component.status().tlsMode()).contains(TlsMode.STARTTLS_REQUIRED);
            try (SmtpClient client = SmtpClient.connect(component.status().port())) {
                assertThat(client.reply()).startsWith("220 " + HOST);
            }
            component.removeStrategy(builtIn);
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

    /** A service reference ordered as the framework orders them: by ranking, then by lower id. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<PortStrategy> reference(long id, int ranking) {
        return (ServiceReference<PortStrategy>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> Constants.SERVICE_ID.equals(args[0]) ? (Object) id
                            : Constants.SERVICE_RANKING.equals(args[0]) ? (Object) ranking : null;
                    case "compareTo" -> {
                        ServiceReference<?> other = (ServiceReference<?>) args[0];
                        int otherRanking = (Integer) other.getProperty(Constants.SERVICE_RANKING);
                        long otherId = (Long) other.getProperty(Constants.SERVICE_ID);
                        yield ranking != otherRanking ? Integer.compare(ranking, otherRanking) : Long.compare(otherId, id);
                    }
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ref" + id;
                    default -> null;
                });
    }
}
