package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.PortRole;
import org.mailslot.support.net.LocalHostName;

/** The listener reads lists, durations and its host name as every other PID does. */
class ListenerSettingsTest {

    @Test
    void localDomainsSeparatedByWhiteSpaceAreTwoDomains() {
        Settings settings = Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25,
                "local.domains", "a.example B.example", "sender.domains", "a.example,c.example"));

        assertThat(settings.localDomains()).containsExactly("a.example", "b.example");
        assertThat(settings.senderDomains()).containsExactly("a.example", "c.example");
    }

    @Test
    void timeoutsTakeSecondsOrUnits() {
        Settings settings = Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25,
                "command.timeout", "5m", "data.timeout", 600, "stress.command.timeout", "PT30S", "stress.data.timeout", "1h",
                "shutdown.grace", "0"));

        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.dataTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.stressCommandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.stressDataTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.shutdownGrace()).isZero();
        assertThatThrownBy(() -> Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25,
                "command.timeout", "5 min")))
                .hasMessageStartingWith("listener mx: command.timeout must be a duration");
    }

    @Test
    void withoutAHostnameTheLocalHostNameIsUsed() {
        Settings settings = Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25));

        assertThat(settings.hostname()).isEqualTo(LocalHostName.get());
    }

    @Test
    void senderChecksAreRequiredOnRelayListenersUnlessSetOff() {
        Settings unset = Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25));
        Settings off = Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25, "sender.checks", "off"));
        Settings required = Settings.of("sub", Configs.of(ListenerConfig.class, "port", 0, "strategy", 587,
                "sender.checks", "Required"));

        assertThat(unset.senderChecks().required(PortRole.RELAY)).isTrue();
        assertThat(unset.senderChecks().required(PortRole.SUBMISSION)).isFalse();
        assertThat(unset.senderChecks().required(PortRole.ALTERNATE)).isFalse();
        assertThat(off.senderChecks().required(PortRole.RELAY)).isFalse();
        assertThat(required.senderChecks().required(PortRole.SUBMISSION)).isTrue();
        assertThatThrownBy(() -> Settings.of("mx", Configs.of(ListenerConfig.class, "port", 0, "strategy", 25,
                "sender.checks", "optional")))
                .hasMessage("listener mx: sender.checks must be required or off (or unset: required on relay listeners),"
                        + " not \"optional\"");
    }
}
