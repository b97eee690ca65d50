package org.mailslot.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

class PortStrategyRankingTest {

    private final PortStrategies strategies = new PortStrategies();

    @Test
    void highestRankingWinsForAPort() {
        PortStrategy builtIn = PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        PortStrategy operator = PortStrategy.of(587, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategies.add(builtIn, 0);
        strategies.add(operator, 10);

        assertThat(strategies.forPort(587)).isSameAs(operator);

        strategies.remove(operator);
        assertThat(strategies.forPort(587)).isSameAs(builtIn);
    }

    @Test
    void amongEqualRankingsTheFirstRegisteredWins() {
        PortStrategy first = PortStrategy.of(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        PortStrategy second = PortStrategy.of(25, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE);
        strategies.add(first, 0);
        strategies.add(second, 0);

        assertThat(strategies.forPort(25)).isSameAs(first);
    }

    @Test
    void aPortWithoutStrategyFailsClosedToStartTlsRequired() {
        assertThat(strategies.forPort(2526).tlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
        strategies.add(PortStrategy.of(2526, PortRole.RELAY, TlsMode.NONE, AuthPolicy.NONE), 0);
        strategies.remove(strategies.forPort(2526));
        assertThat(strategies.forPort(2526).tlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    }
}
