package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.testing.peers.ComponentConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A relay route built as Declarative Services builds it: its password, and what it publishes. */
class RelayRouteTest extends DeliveryFixture {

    private static final String PASSWORD = "s3cret-Relay-pw";

    /** The registrations a route made, with every set of service properties each one had. */
    private final List<List<Map<String, Object>>> registrations = new ArrayList<>();
    private final List<Object> registered = new ArrayList<>();
    private int unregistered;

    @Test
    void thePasswordPropertyIsTheOneTheServerSees() throws Exception {
        FakeSmtpServer server = implicit().credentials("relayuser", PASSWORD);
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        RelayRoute relay = activate("lab", Map.of("host", "127.0.0.1", "ports", String.valueOf(server.port()),
                "username", "relayuser", "password", PASSWORD));
        transport.addRelay(relay);

        DeliveryResult result = send(relay.settings().route(), "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.DELIVERED);
        assertThat(server.lines()).anyMatch(line -> line.startsWith("AUTH"));
        assertThat(server.messages()).containsExactly(MESSAGE);
    }

    @Test
    void thePasswordIsNeverAServicePropertyNorInTheRoutesDescription() {
        RelayRoute relay = activate("lab", Map.of("host", "smtp.example.test", "username", "relayuser",
                "password", PASSWORD));

        assertThat(registered).containsExactly(relay);
        assertThat(registrations).singleElement().satisfies(history -> assertThat(history)
                .containsExactly(Map.of(RelayRoute.ROUTE, "lab")));
        assertThat(relay.settings().credentials()).hasValueSatisfying(c -> assertThat(c.password()).isEqualTo(PASSWORD));
        assertThat(relay.toString()).doesNotContain(PASSWORD);
        assertThat(relay.settings().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void listsAndDurationsAreWrittenAsInEveryOtherPid() {
        RelayRoute relay = activate("lab", Map.of("host", "smtp.example.test", "ports", "587 465,2525",
                "domains", "a.example, B.example c.example", "connect.timeout", "10s", "read.timeout", "5m",
                "idle.timeout", "0", "port.memory", "1h"));

        assertThat(relay.settings().route().ports()).containsExactly(587, 465, 2525);
        assertThat(relay.settings().route().domains()).containsExactlyInAnyOrder("a.example", "b.example", "c.example");
        assertThat(relay.settings().route().connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(relay.settings().route().readTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(relay.settings().idleTimeout()).isZero();
        assertThat(relay.settings().portMemory()).isEqualTo(java.time.Duration.ofHours(1));
        assertThatThrownBy(() -> activate("lab", Map.of("host", "h.test", "connect.timeout", "0")))
                .hasMessage("Relay route lab: connect.timeout must be longer than zero, not '0'");
    }

    @Test
    void dotPasswordStillWorks() {
        RelayRoute relay = activate("lab", Map.of("host", "smtp.example.test", "username", "relayuser",
                ".password", PASSWORD));

        assertThat(relay.settings().credentials()).hasValueSatisfying(c -> assertThat(c.password()).isEqualTo(PASSWORD));
        assertThat(registrations.get(0).get(0)).doesNotContainKeys("password", ".password", "username");
    }

    @Test
    void aConfigurationChangeUpdatesTheRegistrationWithNothingButTheName() {
        Map<String, Object> properties = properties("lab", Map.of("host", "smtp.example.test"));
        RelayRoute relay = new RelayRoute(context(), ComponentConfig.of(RelayRoute.Config.class, properties), properties);

        Map<String, Object> changed = properties("lab", Map.of("host", "other.example.test", "username", "relayuser",
                "password", PASSWORD));
        relay.modified(ComponentConfig.of(RelayRoute.Config.class, changed), changed);
        relay.deactivate();

        assertThat(relay.settings().route().host()).isEqualTo("other.example.test");
        assertThat(relay.settings().credentials()).isPresent();
        assertThat(registrations.get(0)).containsExactly(Map.of(RelayRoute.ROUTE, "lab"), Map.of(RelayRoute.ROUTE, "lab"));
        assertThat(unregistered).isEqualTo(1);
    }

    @Test
    void theDataTimeoutIsADurationDefaultsToPostfixsAndMustBePositive() {
        assertThat(activate("lab", Map.of("host", "h.test")).settings().dataTimeout()).hasSeconds(180);
        assertThat(activate("lab", Map.of("host", "h.test", "data.timeout", "45")).settings().dataTimeout())
                .hasSeconds(45);
        assertThat(activate("lab", Map.of("host", "h.test", "data.timeout", "10m")).settings().dataTimeout())
                .hasMinutes(10);
        assertThatThrownBy(() -> activate("lab", Map.of("host", "h.test", "data.timeout", "0")))
                .hasMessage("Relay route lab: data.timeout must be longer than zero, not '0'");
    }

    @Test
    void credentialsThatCannotWorkAreRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> activate("lab", Map.of("host", "h.test", "username", "relayuser")))
                .hasMessage("Relay route lab: username is set but password is missing");
        assertThatThrownBy(() -> activate("lab", Map.of("host", "h.test", "password", PASSWORD)))
                .hasMessage("Relay route lab: password is set but username is missing");
        assertThatThrownBy(() -> activate("lab", Map.of("host", "h.test", "username", "relayuser",
                "password", PASSWORD, ".password", "another-one")))
                .hasMessage("Relay route lab: password and .password are both set, to different values; set one of them");
        assertThat(registered).isEmpty();
    }

    @Test
    void refusedCredentialsAreLoggedWithTheUserNameOnly() throws Exception {
        FakeSmtpServer server = implicit().credentials("relayuser", "what-the-server-wants");
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        RelayRoute relay = activate("lab", Map.of("host", "127.0.0.1", "ports", String.valueOf(server.port()),
                "username", "relayuser", "password", PASSWORD));
        transport.addRelay(relay);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        DeliveryResult result;
        try {
            result = send(relay.settings().route(), "a@example.org", "b@example.org");
        } finally {
            System.setErr(original);
        }

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.AUTH_FAILED);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("refused the credentials of user relayuser")
                .doesNotContain(PASSWORD);
        assertThat(result.toString()).doesNotContain(PASSWORD);
    }

    private RelayRoute activate(String name, Map<String, Object> configuration) {
        Map<String, Object> properties = properties(name, configuration);
        return new RelayRoute(context(), ComponentConfig.of(RelayRoute.Config.class, properties), properties);
    }

    /** What Config Admin and DS hand a factory component: the configuration and its PIDs. */
    private static Map<String, Object> properties(String name, Map<String, Object> configuration) {
        Map<String, Object> properties = new HashMap<>(configuration);
        properties.put("service.pid", RelayRoute.PID + "~" + name);
        properties.put("service.factoryPid", RelayRoute.PID);
        return properties;
    }

    /** Just enough of a bundle context to record what the route registers. */
    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    registered.add(args[1]);
                    List<Map<String, Object>> history = new ArrayList<>();
                    history.add(copy((Dictionary<?, ?>) args[2]));
                    registrations.add(history);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (registration, call, callArgs) -> switch (call.getName()) {
                                case "setProperties" -> history.add(copy((Dictionary<?, ?>) callArgs[0])) ? null : null;
                                case "unregister" -> {
                                    unregistered++;
                                    yield null;
                                }
                                default -> throw new UnsupportedOperationException(call.getName());
                            });
                });
    }

    private static Map<String, Object> copy(Dictionary<?, ?> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (Object key : Collections.list(dictionary.keys())) {
            map.put((String) key, dictionary.get(key));
        }
        return map;
    }
}
