package org.mailslot.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One syntax for every duration property: the forms the former copies read differently, or not at all. */
class DurationPropertyTest {

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            30        | PT30S
            ' 300 '   | PT5M
            30s       | PT30S
            30S       | PT30S
            '30 s'    | PT30S
            500ms     | PT0.5S
            5m        | PT5M
            1h        | PT1H
            2d        | PT48H
            PT5M      | PT5M
            pt90s     | PT1M30S
            """)
    void everyFormIsReadEverywhere(String value, String expected) {
        assertThat(DurationProperty.positive("connect.timeout", value)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void typedNumbersAreSeconds() {
        assertThat(DurationProperty.positive("read.timeout", 300)).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationProperty.positive("read.timeout", 30L)).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "s", "5x", "5 minutes", "-5", "-5s", "1.5h", "5m30s", "P", "1000000000000000s"})
    void aBadValueIsAnErrorNamingTheProperty(String value) {
        assertThatThrownBy(() -> DurationProperty.positive("listener x: command.timeout", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("listener x: command.timeout must ")
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void zeroIsRefusedUnlessItTurnsSomethingOff() {
        assertThatThrownBy(() -> DurationProperty.positive("heartbeat", "0s")).hasMessageContaining("longer than zero");
        assertThat(DurationProperty.zeroOrMore("reload.interval.seconds", "0")).isZero();
        assertThatThrownBy(() -> DurationProperty.zeroOrMore("reload.interval.seconds", "PT-1S"))
                .hasMessageContaining("negative");
    }

    /** Property: every unit, in any case and spacing, means what ISO-8601 says. Seeded. */
    @Test
    void everyUnitMeansTheSameAsIso() {
        java.util.Random random = new java.util.Random(8601);
        for (int run = 0; run < 1000; run++) {
            long amount = 1 + random.nextInt(100_000);
            String[][] units = {{"", "S"}, {"s", "S"}, {"m", "M"}, {"h", "H"}};
            String[] unit = units[random.nextInt(units.length)];
            String written = amount + (random.nextBoolean() ? " " : "")
                    + (random.nextBoolean() ? unit[0] : unit[0].toUpperCase(java.util.Locale.ROOT));
            assertThat(DurationProperty.positive("p", written)).as(written).isEqualTo(Duration.parse("PT" + amount + unit[1]));
            assertThat(DurationProperty.positive("p", amount + "ms")).isEqualTo(Duration.ofMillis(amount));
            assertThat(DurationProperty.positive("p", amount + "d")).isEqualTo(Duration.ofDays(amount));
        }
    }
}
