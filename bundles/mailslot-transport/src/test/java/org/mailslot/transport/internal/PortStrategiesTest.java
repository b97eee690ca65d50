package org.mailslot.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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

    @Test
    void builtInsAreRegisteredWithTheirRoleTlsModeAndAuthPolicy() throws Exception {
        Map<String, PortStrategy> components = Map.of("org.mailslot.port.relay", new Relay25Strategy(),
                "org.mailslot.port.submission", new Submission587Strategy(),
                "org.mailslot.port.submissions", new Submissions465Strategy(),
                "org.mailslot.port.alternate", new Alternate2525Strategy());
        for (Map.Entry<String, PortStrategy> component : components.entrySet()) {
            Map<String, Object> expected = PortStrategy.serviceProperties(component.getValue());
            expected.put(PortStrategy.ORIGIN, "built-in");

            // What DS registers: the properties bnd wrote into the component description.
            assertThat(describedProperties(component.getKey())).as(component.getKey()).isEqualTo(expected);
        }
        assertThat(describedProperties("org.mailslot.port.submissions")).containsEntry(PortStrategy.PORT, 465)
                .containsEntry(PortStrategy.ROLE, "submissions").containsEntry(PortStrategy.TLS_MODE, "implicit")
                .containsEntry(PortStrategy.AUTH_POLICY, "required");
    }

    @Test
    void aConfiguredStrategyIsRegisteredWithFilterableProperties() throws Exception {
        List<Map<String, Object>> registered = new java.util.ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    registered.add(copy((Dictionary<?, ?>) args[2]));
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (registration, call, callArgs) -> null);
                });

        new ConfiguredPortStrategy(context, config(10465, "submissions", "implicit", "required"),
                Map.of("service.pid", "org.mailslot.port~lab", "service.factoryPid", "org.mailslot.port"));

        assertThat(registered).singleElement().isEqualTo(Map.of(PortStrategy.PORT, 10465,
                PortStrategy.ROLE, "submissions", PortStrategy.TLS_MODE, "implicit", PortStrategy.AUTH_POLICY, "required",
                PortStrategy.ORIGIN, "configuration lab", "service.ranking", ConfiguredPortStrategy.DEFAULT_RANKING));
        assertThat(FrameworkUtil.createFilter("(&(mailslot.tls.mode=implicit)(mailslot.auth.policy=required))")
                .matches(registered.get(0))).isTrue();
        assertThat(FrameworkUtil.createFilter("(mailslot.role=relay)").matches(registered.get(0))).isFalse();
    }

    /** @return the service properties of a component, from the description bnd generated */
    private static Map<String, Object> describedProperties(String component) throws Exception {
        Document description;
        try (InputStream xml = PortStrategiesTest.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + component + ".xml")) {
            assertThat(xml).as("OSGI-INF/" + component + ".xml").isNotNull();
            description = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
        }
        Map<String, Object> properties = new HashMap<>();
        NodeList nodes = description.getElementsByTagName("property");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element property = (Element) nodes.item(i);
            String value = property.getAttribute("value");
            properties.put(property.getAttribute("name"),
                    "Integer".equals(property.getAttribute("type")) ? Integer.valueOf(value) : value);
        }
        return properties;
    }

    private static Map<String, Object> copy(Dictionary<?, ?> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (Object key : Collections.list(dictionary.keys())) {
            map.put((String) key, dictionary.get(key));
        }
        return map;
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
