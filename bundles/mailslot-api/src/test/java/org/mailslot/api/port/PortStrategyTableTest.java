package org.mailslot.api.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PortStrategyTableTest {

    private final PortStrategyTable strategies = new PortStrategyTable();

    @Test
    void highestRankingWinsForAPort() {
        PortStrategy builtIn = PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        PortStrategy operator = PortStrategy.of(587, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategies.add(builtIn, Map.of());
        strategies.add(operator, Map.of("service.ranking", 10));

        assertThat(strategies.forPort(587)).containsSame(operator);

        strategies.remove(operator);
        assertThat(strategies.forPort(587)).containsSame(builtIn);
    }

    @Test
    void amongEqualRankingsTheFirstRegisteredWins() {
        PortStrategy first = PortStrategy.of(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        PortStrategy second = PortStrategy.of(25, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE);
        strategies.add(first, 0);
        strategies.add(second, 0);

        assertThat(strategies.forPort(25)).containsSame(first);
    }

    @Test
    void aPortWithoutStrategyHasNone() {
        assertThat(strategies.forPort(2526)).isEmpty();
        PortStrategy plain = PortStrategy.of(2526, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE);
        strategies.add(plain, 0);
        strategies.remove(plain);
        assertThat(strategies.forPort(2526)).isEmpty();
    }
}
