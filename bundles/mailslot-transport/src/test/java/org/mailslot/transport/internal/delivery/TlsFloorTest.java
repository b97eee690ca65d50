package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
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
        assertThat(outcome.failure()).contains(FailureCause.TLS_FAILED);
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

    @Test
    void aCertificateForAnotherHostFailsTheRouteAndNoOtherPortIsTried() throws Exception {
        TlsService otherName = TestTls.service(TestPki.serverPkcs12(ca, dir.resolve("other.p12"), "other.test"),
                ca.writePem(dir.resolve("ca-again.pem")));
        FakeSmtpServer misnamed = FakeSmtpServer.plain(otherName).offerStartTls(true);
        closeables.add(misnamed);
        FakeSmtpServer cleartext = plain().offerStartTls(false);
        strategy(misnamed.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        strategy(cleartext.port(), TlsMode.NONE, AuthPolicy.NONE);
        Route route = relay("smarthost", List.of(misnamed.port(), cleartext.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_FAILED);
        assertThat(result.attempts().get(0).detail()).contains("No subject alternative names matching IP address 127.0.0.1");
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("4.7.5");
        assertThat(misnamed.lines()).extracting(line -> line.split(" ")[0]).containsExactly("EHLO", "STARTTLS");
        assertThat(cleartext.connections()).isZero();
    }

    @Test
    void aPlaintextServerOnAnImplicitTlsPortIsSkippedForTheNextPort() throws Exception {
        FakeSmtpServer plaintext = plain().offerStartTls(false).offerAuth(true);
        FakeSmtpServer submission = plain().offerStartTls(true);
        strategy(plaintext.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategy(submission.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(plaintext.port(), submission.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_NOT_OFFERED, Attempt.Result.DELIVERED);
        assertThat(result.attempts().get(0).detail()).contains("does not speak the TLS this port's strategy requires");
        assertThat(result.allAccepted()).isTrue();
        assertThat(result.recipients().get(0).tls()).isPresent();
        // The plaintext server's greeting ended the handshake: it heard no SMTP command from the client.
        assertThat(plaintext.lines()).noneMatch(line -> line.matches("(?i)(EHLO|AUTH|MAIL|RCPT|DATA).*"));
        assertThat(submission.messages()).containsExactly(MESSAGE);
    }

    @Test
    void noTlsProtocolInCommonIsSkippedForTheNextPort() throws Exception {
        TlsService tls12Only = TestTls.service(TestPki.serverPkcs12(ca, dir.resolve("tls12.p12")),
                ca.writePem(dir.resolve("ca12.pem")), Map.of("protocols", new String[] {"TLSv1.2"}));
        FakeSmtpServer old = FakeSmtpServer.implicitTls(tls12Only);
        closeables.add(old);
        FakeSmtpServer modern = implicit();
        SmtpMailTransport tls13Client = new SmtpMailTransport(TestTls.service(TestPki.serverPkcs12(ca,
                dir.resolve("client.p12")), ca.writePem(dir.resolve("ca13.pem")), Map.of("protocols",
                        new String[] {"TLSv1.3"})), Clock.systemUTC(), Duration.ofSeconds(1));
        closeables.add(tls13Client::deactivate);
        for (int port : List.of(old.port(), modern.port())) {
            tls13Client.addStrategy(PortStrategy.of(port, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED),
                    Map.of());
        }
        Route route = new Route("smarthost", Route.Kind.RELAY, "127.0.0.1", List.of(old.port(), modern.port()),
                java.util.Set.of("*"), true, Duration.ofSeconds(2), Duration.ofSeconds(2));
        tls13Client.addRelay(new RelayRoute(new RouteSettings(route, credentials(), PeerVerification.FULL,
                Duration.ofMinutes(1), Duration.ofMinutes(10), Optional.of("client.test")), 4));

        DeliveryResult result = tls13Client.deliver(Envelope.builder().from("a@example.org").to("b@example.org").build(),
                MessageSource.of(MESSAGE), route);

        assertThat(result.attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_NOT_OFFERED, Attempt.Result.DELIVERED);
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(t -> assertThat(t.protocol()).isEqualTo("TLSv1.3"));
        assertThat(old.lines()).isEmpty();
        assertThat(modern.messages()).containsExactly(MESSAGE);
    }
}
