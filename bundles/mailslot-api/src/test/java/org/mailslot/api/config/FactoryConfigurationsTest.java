package org.mailslot.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FactoryConfigurationsTest {

    @Test
    void namesAnInstanceHoweverItWasCreated() {
        assertThat(FactoryConfigurations.instanceName(Map.of("service.pid", "org.mailslot.relay~lab",
                "service.factoryPid", "org.mailslot.relay"))).isEqualTo("lab");
        assertThat(FactoryConfigurations.instanceName(Map.of("service.pid", "org.mailslot.relay.6f0c2a",
                "service.factoryPid", "org.mailslot.relay",
                FactoryConfigurations.FILEINSTALL_FILENAME, "file:/opt/mailslot/etc/org.mailslot.relay-lab.cfg")))
                .isEqualTo("lab");
        assertThat(FactoryConfigurations.instanceName(Map.of("service.pid", "org.mailslot.relay.6f0c2a",
                "service.factoryPid", "org.mailslot.relay"))).isEqualTo("org.mailslot.relay.6f0c2a");
    }
}
