package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.Route;

/**
 * A relay route that is configured but whose component is not active (yet, or ever, with a bad
 * configuration) keeps its domains: their mail waits for it and never goes by MX meanwhile.
 */
class InactiveRouteTest extends DeliveryFixture {

    @Test
    void mailForAConfiguredRouteThatIsNotActiveWaitsInsteadOfGoingByMx() {
        SmtpMailTransport starting = new SmtpMailTransport(tls,
                new ConfiguredRelays(Map.of("smarthost", Set.of("partner.test"), "fallback", Set.of("*"))), clock,
                Duration.ofMillis(50));
        try {
            Route route = starting.routeFor(MailAddress.parse("bob@Partner.test"));
            DeliveryResult result = starting.deliver(envelope("alice@example.org", "bob@partner.test"),
                    org.mailslot.api.mail.MessageSource.of(MESSAGE), route);

            assertThat(route.kind()).isEqualTo(Route.Kind.RELAY);
            assertThat(route.name()).isEqualTo("smarthost");
            assertThat(result.recipients()).singleElement().satisfies(outcome -> {
                assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
                assertThat(outcome.text()).contains("relay route smarthost is not active");
            });
            assertThat(starting.routeFor(MailAddress.parse("carol@elsewhere.test")).name())
                    .as("an inactive default route is still the default").isEqualTo("fallback");
        } finally {
            starting.deactivate();
        }
    }

    @Test
    void onceTheRouteIsActiveItServesItsDomainsAndAnActiveExactRouteWinsOverAnInactiveDefault() {
        SmtpMailTransport started = new SmtpMailTransport(tls,
                new ConfiguredRelays(Map.of("smarthost", Set.of("partner.test"), "fallback", Set.of("*"))), clock,
                Duration.ofMillis(50));
        try {
            Route smarthost = new Route("smarthost", Route.Kind.RELAY, "127.0.0.1", List.of(2525), Set.of("partner.test"),
                    false, Duration.ofSeconds(2), Duration.ofSeconds(2));
            started.addRelay(new RelayRoute(new RouteSettings(smarthost, Optional.empty(), PeerVerification.FULL,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty()), 1));

            assertThat(started.routeFor(MailAddress.parse("bob@partner.test"))).isEqualTo(smarthost);
            assertThat(started.routeFor(MailAddress.parse("carol@elsewhere.test")).name()).isEqualTo("fallback");
        } finally {
            started.deactivate();
        }
    }

    @Test
    void withoutAnyConfiguredRouteTheDomainGoesByMx() {
        assertThat(transport.routeFor(MailAddress.parse("bob@partner.test")).kind()).isEqualTo(Route.Kind.MX);
    }

    private static org.mailslot.api.mail.Envelope envelope(String from, String to) {
        return org.mailslot.api.mail.Envelope.builder().from(from).to(to).build();
    }
}
