package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.Route;
import org.mailslot.tls.internal.TlsServiceImpl;

/** Connections reused across messages, closed when idle, replaced when dead. */
class PoolTest extends DeliveryFixture {

    @Test
    void oneConnectionCarriesSeveralMessagesWithoutRsetBetween() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true);
        strategy(server.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials());

        for (int i = 0; i < 3; i++) {
            assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();
        }

        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages()).hasSize(3);
        assertThat(server.lines().stream().filter(line -> line.startsWith("AUTH")).count()).isEqualTo(1);
        // Each transaction ended cleanly with the reply to its end of data: nothing to reset.
        assertThat(server.lines()).doesNotContain("RSET");
    }

    @Test
    void idleConnectionsAreClosedWithQuit() throws Exception {
        FakeSmtpServer server = implicit();
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials(), PeerVerification.FULL, Duration.ofSeconds(30));
        send(route, "a@example.org", "b@example.org");
        assertThat(server.closedConnections()).isZero();

        clock.advance(Duration.ofSeconds(31));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 1);
        assertThat(server.lines()).last().isEqualTo("QUIT");
    }

    @Test
    void aDeadPooledConnectionIsReplacedByAFreshOne() throws Exception {
        FakeSmtpServer server = implicit().dropAfterData(true);
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials());
        send(route, "a@example.org", "b@example.org");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 1);

        DeliveryResult second = send(route, "a@example.org", "b@example.org");

        assertThat(second.allAccepted()).isTrue();
        assertThat(second.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.DELIVERED);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.messages()).hasSize(2);
    }

    @Test
    void aPooledConnectionTheServerTimedOutIsReplacedByAFreshOne() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).timeOutAfterData(true);
        strategy(server.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials());
        send(route, "a@example.org", "b@example.org");

        DeliveryResult second = send(route, "a@example.org", "b@example.org");

        // The 421 came before the server took anything of the message: not the message's outcome.
        assertThat(second.allAccepted()).as(second.toString()).isTrue();
        assertThat(second.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.DELIVERED);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.messages()).hasSize(2);
    }

    @Test
    void deactivationClosesIdleConnections() throws Exception {
        FakeSmtpServer server = implicit();
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials());
        send(route, "a@example.org", "b@example.org");

        transport.deactivate();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 1);
        assertThat(server.lines()).last().isEqualTo("QUIT");
    }

    @Test
    void aCleartextConnectionIsClosedWhenItsPortIsSwitchedToStartTlsRequired() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(false);
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        Route route = relay("relay", List.of(server.port()), Optional.empty());
        DeliveryResult first = send(route, "a@example.org", "b@example.org");
        assertThat(first.recipients().get(0).tls()).as("opportunistic, and no STARTTLS offered").isEmpty();
        assertThat(server.closedConnections()).as("pooled").isZero();

        PortStrategy required = PortStrategy.of(server.port(), PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED,
                AuthPolicy.OPTIONAL);
        transport.addStrategy(required, Map.of("service.ranking", 10));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 1);
        assertThat(server.commands()).filteredOn(c -> c.connection() == 1).last()
                .extracting(FakeSmtpServer.Command::line).isEqualTo("QUIT");
        DeliveryResult second = send(route, "a@example.org", "b@example.org");
        assertThat(second.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_NOT_OFFERED);
        assertThat(second.recipients().get(0).status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(server.lines().stream().filter(line -> line.startsWith("MAIL"))).hasSize(1);
        assertThat(server.messages()).hasSize(1);

        // Back to the opportunistic strategy: a new cleartext connection, and the refused one was never pooled.
        transport.removeStrategy(required);
        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();
        assertThat(server.connections()).isEqualTo(3);
        assertThat(server.messages()).hasSize(2);
    }

    @Test
    void aPooledConnectionOpenedUnderAnotherStrategyIsNeverTaken() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(false);
        strategy(server.port(), TlsMode.NONE, AuthPolicy.NONE);
        Route route = relay("relay", List.of(server.port()), Optional.empty());
        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();

        // Straight into the table, so no eviction runs: only the check when the pool hands out counts.
        transport.strategies().add(PortStrategy.of(server.port(), PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED,
                AuthPolicy.OPTIONAL), 10);
        DeliveryResult second = send(route, "a@example.org", "b@example.org");

        assertThat(second.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_NOT_OFFERED);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.commands()).filteredOn(c -> c.connection() == 1).extracting(FakeSmtpServer.Command::line)
                .filteredOn(line -> line.startsWith("MAIL")).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 2);
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void aRankingChangeThatPutsAnotherStrategyInForceClosesIdleConnections() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(false);
        strategy(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        PortStrategy required = PortStrategy.of(server.port(), PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED,
                AuthPolicy.OPTIONAL);
        transport.addStrategy(required, Map.of("service.ranking", -5));
        Route route = relay("relay", List.of(server.port()), Optional.empty());
        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();

        transport.updatedStrategy(required, Map.of("service.ranking", 5));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 1);
        assertThat(send(route, "a@example.org", "b@example.org").attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_NOT_OFFERED);
    }

    @Test
    void aStrategyThatChangesNothingInForceKeepsThePool() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true);
        strategy(server.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("relay", List.of(server.port()), credentials());
        send(route, "a@example.org", "b@example.org");

        transport.addStrategy(PortStrategy.of(server.port(), PortRole.SUBMISSION, TlsMode.NONE, AuthPolicy.NONE),
                Map.of("service.ranking", -1));
        assertThat(send(route, "a@example.org", "b@example.org").allAccepted()).isTrue();

        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void trustChangesApplyToNewConnectionsWhilePooledOnesStayUntilIdle() throws Exception {
        TestPki.Ca later = TestPki.ca("Later CA");
        FakeSmtpServer server = FakeSmtpServer.implicitTls(TestTls.service(TestPki.serverPkcs12(later,
                dir.resolve("later.p12")), later.writePem(dir.resolve("later-ca.pem"))));
        closeables.add(server);
        Path trust = ca.writePem(dir.resolve("client-trust.pem"));
        String ourCa = Files.readString(trust);
        // The client's TLS service re-reads its files every second, as an operator's would.
        TlsServiceImpl clientTls = TestTls.service(TestPki.serverPkcs12(ca, dir.resolve("client.p12")), trust,
                Map.of("reload.interval.seconds", 1));
        SmtpMailTransport client = new SmtpMailTransport(clientTls, clock, Duration.ofMillis(50));
        closeables.add(client::deactivate);
        client.addStrategy(PortStrategy.of(server.port(), PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED),
                Map.of());
        Route route = new Route("relay", Route.Kind.RELAY, "127.0.0.1", List.of(server.port()), java.util.Set.of("*"),
                false, Duration.ofSeconds(2), Duration.ofSeconds(2));
        client.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.of("client.test")), 4));
        Envelope envelope = Envelope.builder().from("a@example.org").to("b@example.org").build();
        assertThat(client.deliver(envelope, MessageSource.of(MESSAGE), route).attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_FAILED);

        Files.writeString(trust, ourCa + Files.readString(later.writePem(dir.resolve("later-copy.pem"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> clientTls.status().extraTrustAnchors() == 2);
        assertThat(client.deliver(envelope, MessageSource.of(MESSAGE), route).allAccepted()).isTrue();

        // Trust withdrawn: the pooled connection, verified when it was opened, carries on...
        Files.writeString(trust, ourCa);
        await().atMost(Duration.ofSeconds(10)).until(() -> clientTls.status().extraTrustAnchors() == 1);
        assertThat(client.deliver(envelope, MessageSource.of(MESSAGE), route).allAccepted()).isTrue();
        assertThat(server.connections()).isEqualTo(2);

        // ...until it has been idle for the route's idle timeout; the next connection is refused TLS.
        clock.advance(Duration.ofSeconds(31));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.closedConnections() == 2);
        assertThat(client.deliver(envelope, MessageSource.of(MESSAGE), route).attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_FAILED);
        assertThat(server.messages()).hasSize(2);
    }
}
