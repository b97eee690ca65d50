package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

/** REQUIRETLS (RFC 8689) on a relay route: only to a verified next hop that offers it. */
class RequireTlsTest extends DeliveryFixture {

    private DeliveryResult sendRequiringTls(Route route) {
        Envelope envelope = Envelope.builder().from("a@example.org").to("b@example.org").requireTls(true).build();
        return transport.deliver(envelope, MessageSource.of(MESSAGE), route);
    }

    @Test
    void goesWithRequireTlsToAVerifiedNextHopThatOffersIt() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).offerAuth(false).extensions("REQUIRETLS");
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.NONE);
        Route route = relay("verified", List.of(server.port()), Optional.empty());

        DeliveryResult result = sendRequiringTls(route);

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(server.commands()).anySatisfy(command -> {
            assertThat(command.line()).isEqualTo("MAIL FROM:<a@example.org> REQUIRETLS");
            assertThat(command.tls()).isTrue();
        });
    }

    @Test
    void aNextHopWithoutRequireTlsGetsNothingAndTheMessageFailsWith5730() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).offerAuth(false);
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.NONE);
        Route route = relay("verified", List.of(server.port()), Optional.empty());

        RecipientOutcome outcome = sendRequiringTls(route).recipients().get(0);

        assertThat(outcome.status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("5.7.30");
        assertThat(outcome.failure()).contains(FailureCause.NOT_SUPPORTED);
        assertThat(outcome.text()).contains("does not offer REQUIRETLS");
        assertThat(server.lines()).noneMatch(line -> line.startsWith("MAIL") || line.startsWith("RCPT"));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void aNextHopWhoseCertificateIsNotVerifiedGetsNothingEvenIfItOffersRequireTls() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).offerAuth(false).extensions("REQUIRETLS");
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.NONE);
        Route route = relay("careless", List.of(server.port()), Optional.empty(), PeerVerification.NONE,
                Duration.ofMinutes(1));

        RecipientOutcome outcome = sendRequiringTls(route).recipients().get(0);

        assertThat(outcome.status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("5.7.30");
        assertThat(outcome.text()).contains("not authenticated through DANE, MTA-STS or a relay route with tls.verify");
        assertThat(server.lines()).noneMatch(line -> line.startsWith("MAIL"));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void ordinaryMailToTheSameHopGoesWithoutTheParameter() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).offerAuth(false);
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.NONE);
        Route route = relay("verified", List.of(server.port()), Optional.empty());

        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();
        assertThat(server.lines()).contains("MAIL FROM:<a@example.org>");
    }
}
