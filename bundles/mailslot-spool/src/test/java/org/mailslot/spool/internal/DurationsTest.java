package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsSimpleAndIsoDurations() {
        assertThat(Durations.parse("retry.initial", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("retry.max", " 4h ")).isEqualTo(Duration.ofHours(4));
        assertThat(Durations.parse("retry.giveup", "5d")).isEqualTo(Duration.ofDays(5));
        assertThat(Durations.parse("x", "30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("x", "PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("x", "p5d")).isEqualTo(Duration.ofDays(5));
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("retry.initial", "5 minutes"))
                .hasMessage("retry.initial: \"5 minutes\" is not a duration such as 30s, 5m, 4h, 5d or PT5M");
        assertThatThrownBy(() -> Durations.parse("retry.max", "0m")).hasMessage("retry.max: \"0m\" must be longer than zero");
        assertThatThrownBy(() -> Durations.parse("retry.giveup", "PTfive")).hasMessageContaining("not an ISO-8601 duration");
        assertThatThrownBy(() -> Durations.parse("retry.giveup", "")).hasMessage("retry.giveup is empty");
    }
}
