package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

/** The security floor: no credentials in clear, no cleartext after a TLS failure. */
class TlsFloorTest extends DeliveryFixture {

    @Test
    void untrustedCertificateFailsTheRouteAndNoOtherPortIsTried() throws Exception {
        TestPki.Ca stranger = TestPki.ca("Stranger CA");
        TlsService strangerTls = TestTls.service(TestPki.serverPkcs12(stranger, dir.resolve("stranger.p12")),
                stranger.writePem(dir.resolve("stranger.pem")));
        FakeSmtpServer untrusted = FakeSmtpServer.implicitTls(strangerTls);
        closeables.add(untrusted);
        FakeSmtpServer cleartext = plain().offerStartTls(false);
        strategy(untrusted.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategy(cleartext.port(), TlsMode.NONE, AuthPolicy.NONE);
        Route route = relay("smarthost", List.of(untrusted.port(), cleartext.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_FAILED);
        assertThat(result.attempts().get(0).detail()).contains("certification path");
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.replyCode()).isZero();
        assertThat(outcome.enhancedCode()).isEqualTo("4.7.5");
        assertThat(outcome.text()).contains("TLS with 127.0.0.1:" + untrusted.port() + " failed");
        assertThat(untrusted.lines()).isEmpty();
        assertThat(cleartext.connections()).isZero();
    }

    @Test
    void untrustedCertificateAfterStartTlsSendsNoAuthAndNoMail() throws Exception {
        TestPki.Ca stranger = TestPki.ca("Stranger CA");
        TlsService strangerTls = TestTls.service(TestPki.serverPkcs12(stranger, dir.resolve("stranger.p12")),
                stranger.writePem(dir.resolve("stranger.pem")));
        FakeSmtpServer untrusted = FakeSmtpServer.plain(strangerTls).offerStartTls(true);
        closeables.add(untrusted);
        strategy(untrusted.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(untrusted.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_FAILED);
        assertThat(untrusted.lines()).hasSize(2);
        assertThat(untrusted.lines().get(1)).isEqualTo("STARTTLS");
    }

    @Test
    void noAuthCrossesACleartextConnectionOnAnOpportunisticPort() throws Exception {
        // A careless server: AUTH offered in clear, no STARTTLS. Angus alone would authenticate.
        FakeSmtpServer careless = plain().offerStartTls(false).offerAuth(true);
        strategy(careless.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        Route route = relay("relay", List.of(careless.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.allAccepted()).isTrue();
        assertThat(result.recipients().get(0).tls()).isEmpty();
        assertThat(careless.lines()).noneMatch(line -> line.toUpperCase().startsWith("AUTH"))
                .noneMatch(line -> line.contains("dXNlcg")) // "user" in base64
                .anyMatch(line -> line.startsWith("MAIL FROM:<a@example.org>"));
    }

    @Test
    void opportunisticPortWhoseRoleRequiresAuthIsSkippedWithoutTls() throws Exception {
        FakeSmtpServer careless = plain().offerStartTls(false).offerAuth(true);
        strategy(careless.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(careless.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_NOT_OFFERED);
        assertThat(careless.lines()).noneMatch(line -> line.startsWith("AUTH") || line.startsWith("MAIL"));
    }

    @Test
    void opportunisticPortUsesTlsWhenOfferedAndAuthenticatesOnlyThen() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).offerAuth(true);
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        Route route = relay("relay", List.of(server.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.allAccepted()).isTrue();
        assertThat(result.recipients().get(0).tls()).isPresent();
        assertThat(server.commands()).filteredOn(c -> c.line().startsWith("AUTH")).hasSize(1)
                .allMatch(FakeSmtpServer.Command::tls);
    }

    @Test
    void refusedCredentialsFailTheRouteTemporarilyWithTheServersReply() throws Exception {
        FakeSmtpServer server = implicit().credentials("user", "other");
        FakeSmtpServer next = implicit();
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategy(next.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port(), next.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.AUTH_FAILED);
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.replyCode()).isEqualTo(535);
        assertThat(outcome.enhancedCode()).isEqualTo("5.7.8");
        assertThat(server.lines()).noneMatch(line -> line.startsWith("MAIL"));
        assertThat(next.connections()).isZero();
    }

    @Test
    void noCredentialsMeansNoAuth() throws Exception {
        FakeSmtpServer server = implicit();
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), Optional.empty());

        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();
        assertThat(server.lines()).noneMatch(line -> line.startsWith("AUTH"));
    }
}
