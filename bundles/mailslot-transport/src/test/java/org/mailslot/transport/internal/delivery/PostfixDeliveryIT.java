package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Alternate2525Strategy;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.Submission587Strategy;
import org.mailslot.transport.internal.Submissions465Strategy;

/**
 * The delivery client against a real Postfix from Debian on 127.0.0.2, with SASL from Dovecot on
 * 127.0.0.3 and certificates from a test CA: what arrives in Postfix's mailbox, and what
 * Postfix's log says the client did.
 */
class PostfixDeliveryIT {

    private static final String HOST = PostfixPeer.DEFAULT_ADDRESS;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TestCa ca;
    private DovecotPeer dovecot;
    private PostfixPeer postfix;
    private TlsServiceImpl tls;
    private SmtpMailTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCa.create();
        dovecot = DovecotPeer.builder().authOnly().user("relayuser", "pw").start();
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        Path identity = ca.issueServer("client.test").writePkcs12(dir.resolve("client.p12"), "client", "secret".toCharArray());
        tls = TestTls.service(identity, caPem);
        transport = new SmtpMailTransport(tls, java.time.Clock.systemUTC(), Duration.ofSeconds(1));
        transport.addStrategy(new Relay25Strategy(), Map.of());
        transport.addStrategy(new Submissions465Strategy(), Map.of());
        transport.addStrategy(new Submission587Strategy(), Map.of());
        transport.addStrategy(new Alternate2525Strategy(), Map.of());
    }

    @AfterEach
    void tearDown() {
        transport.deactivate();
        if (postfix != null) {
            postfix.close();
        }
        dovecot.close();
    }

    private void startPostfix(UnaryOperator<PostfixPeer.Builder> options) {
        postfix = options.apply(PostfixPeer.builder().certificate(ca.issueServer(HOST, "mx.example.test")).sasl(dovecot))
                .start();
    }

    private Route relay(List<Integer> ports, boolean credentials) {
        Route route = new Route("smarthost", Route.Kind.RELAY, HOST, ports, Set.of("*"), credentials,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        transport.addRelay(new RelayRoute(new RouteSettings(route,
                credentials ? Optional.of(new RouteSettings.Credentials("relayuser", "pw")) : Optional.empty(),
                PeerVerification.FULL, Duration.ofSeconds(5), Duration.ofMinutes(10), Optional.of("client.test")), 2));
        return route;
    }

    private DeliveryResult send(Route route, String subject) {
        byte[] message = ("From: sender@client.test\r\nTo: bob@example.test\r\nSubject: " + subject
                + "\r\n\r\nHello from Mailslot.\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().from("sender@client.test").to("bob@example.test").build();
        return transport.deliver(envelope, MessageSource.of(message), route);
    }

    @ParameterizedTest
    @ValueSource(ints = {25, 465, 587, 2525})
    void aMessageThroughEachPortArrivesWithTlsAndTheSaslLogin(int port) throws Exception {
        startPostfix(b -> b);
        Route route = relay(List.of(port), port != 25);

        DeliveryResult result = send(route, "via " + port);

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.port()).isEqualTo(port);
        assertThat(outcome.tls()).hasValueSatisfying(t -> assertThat(t.verified()).isTrue());
        List<Path> messages = postfix.awaitMessages(1, WAIT);
        assertThat(Files.readString(messages.get(0))).contains("Subject: via " + port);
        transport.deactivate();
        List<String> disconnects = postfix.awaitDisconnects(port, 1, WAIT);
        assertThat(postfix.tlsConnections(port)).singleElement().asString()
                .contains(outcome.tls().orElseThrow().protocol());
        // MAIL, RCPT and DATA went as one PIPELINING group, which Postfix accepts as proper.
        assertThat(postfix.log()).doesNotContain("improper command pipelining");
        if (port == 25) {
            assertThat(PostfixPeer.commandCounts(disconnects.get(0))).doesNotContainKey("auth");
        } else {
            assertThat(postfix.saslLogins(port)).singleElement().asString().contains("sasl_username=relayuser");
        }
    }

    @Test
    void with587ClosedTheMessageGoesOver465() throws Exception {
        startPostfix(b -> b.closed(Listener.SUBMISSION));
        Route route = relay(List.of(587, 465, 2525), true);

        DeliveryResult result = send(route, "fallback to 465");

        assertThat(result.attempts()).extracting(Attempt::port, Attempt::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple(587, Attempt.Result.REFUSED),
                org.assertj.core.groups.Tuple.tuple(465, Attempt.Result.DELIVERED));
        assertThat(postfix.awaitMessages(1, WAIT)).hasSize(1);
        assertThat(postfix.saslLogins(465)).hasSize(1);
    }

    @Test
    void with587And465ClosedTheMessageGoesOver2525() throws Exception {
        startPostfix(b -> b.closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS));
        Route route = relay(List.of(587, 465, 2525), true);

        DeliveryResult result = send(route, "fallback to 2525");

        assertThat(result.attempts()).extracting(Attempt::port).containsExactly(587, 465, 2525);
        assertThat(result.recipients().get(0).port()).isEqualTo(2525);
        assertThat(postfix.awaitMessages(1, WAIT)).hasSize(1);
        assertThat(postfix.saslLogins(2525)).hasSize(1);
    }

    @Test
    void aServerWithoutStartTlsFailsARequiredTlsSendBeforeAuthAndMail() throws Exception {
        startPostfix(b -> b.port(Listener.PLAIN, 2526));
        // No strategy is registered for 2526: it is treated as STARTTLS required (fail closed).
        Route route = relay(List.of(2526), true);

        DeliveryResult result = send(route, "must not arrive");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_NOT_OFFERED);
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.text()).contains("does not offer STARTTLS");
        Map<String, String> commands = PostfixPeer.commandCounts(postfix.awaitDisconnects(2526, 1, WAIT).get(0));
        assertThat(commands).containsEntry("ehlo", "1").doesNotContainKeys("auth", "mail", "rcpt", "data", "starttls");
        assertThat(postfix.messages()).isEmpty();
    }

    @Test
    void anUntrustedCertificateFailsWithAClearError() throws Exception {
        postfix = PostfixPeer.builder().certificate(ca.issueUntrustedServer(HOST, "mx.example.test")).sasl(dovecot)
                .start();
        Route route = relay(List.of(587, 465, 2525), true);

        DeliveryResult result = send(route, "must not arrive");

        assertThat(result.attempts()).extracting(Attempt::port, Attempt::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(587, Attempt.Result.TLS_FAILED));
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.text()).contains("TLS with " + HOST + ":587 failed (full verification)")
                .contains("Signature does not match");
        Map<String, String> commands = PostfixPeer.commandCounts(postfix.awaitDisconnects(587, 1, WAIT).get(0));
        assertThat(commands).doesNotContainKeys("auth", "mail");
        assertThat(postfix.saslLogins(587)).isEmpty();
        assertThat(postfix.messages()).isEmpty();
    }
}
