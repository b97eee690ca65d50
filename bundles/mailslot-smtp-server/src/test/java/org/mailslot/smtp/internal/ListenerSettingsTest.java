package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
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
                "command.timeout", "5m", "data.timeout", 600, "auth.throttle.window", "1h", "auth.throttle.time", "PT30M",
                "shutdown.grace", "0"));

        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.dataTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.authThrottleWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.authThrottleTime()).isEqualTo(Duration.ofMinutes(30));
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
}
