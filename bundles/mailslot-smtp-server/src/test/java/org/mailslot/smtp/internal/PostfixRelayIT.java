package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.spool.internal.DeliveryConfig;
import org.mailslot.spool.internal.SpoolComponent;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.Swaks;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Submission587Strategy;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;

/**
 * Mailslot end to end, outside Karaf but with every real part wired as Declarative Services
 * wires it: swaks submits to a listener (STARTTLS, AUTH PLAIN), the listener streams into the
 * real spool (fsync before 250), the scheduler relays through the real transport over a relay
 * route to a real Postfix on 127.0.0.2:587 (STARTTLS, SASL through Dovecot), and Postfix delivers
 * into its Maildir. In-JVM rather than Pax Exam: the relay route, Postfix and Dovecot are set up in
 * a few lines here, and a failure shows every part's log in one place.
 */
class PostfixRelayIT extends ListenerTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private DovecotPeer dovecot;
    private PostfixPeer postfix;
    private SmtpMailTransport transport;
    private SpoolComponent spoolComponent;

    @BeforeEach
    void wire() throws Exception {
        dovecot = DovecotPeer.builder().authOnly().user("relayuser", "relay-pw").start();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(PostfixPeer.DEFAULT_ADDRESS, "mx.example.test"))
                .sasl(dovecot).start();

        // The client side trusts only the test CA, and verifies the host name.
        TlsServiceImpl clientTls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", caPem.toString(), "trust.jdk.defaults", false, "self.signed.enabled", false,
                "reload.interval.seconds", 0)));
        transport = new SmtpMailTransport(clientTls, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(1));
        transport.addStrategy(new Submission587Strategy(), Map.of());
        Route route = new Route("smarthost", Route.Kind.RELAY, PostfixPeer.DEFAULT_ADDRESS, List.of(587),
                Set.of("example.test"), true, Duration.ofSeconds(5), Duration.ofSeconds(30));
        transport.addRelay(new RelayRoute(new RouteSettings(route,
                Optional.of(new RouteSettings.Credentials("relayuser", "relay-pw")), PeerVerification.FULL,
                Duration.ofSeconds(5), Duration.ofMinutes(10), Optional.of("mailslot.test")), 2));

        spoolComponent = new SpoolComponent(ComponentConfig.of(DeliveryConfig.class, Map.of(
                "spool.directory", dir.resolve("spool").toString(),
                "mailbox.directory", dir.resolve("mailboxes").toString(),
                "local.domains", "localhost",
                // No crypto policy runs in this test; the code's default would hold every message for it.
                "pipeline.required", "none")));
        spoolComponent.bindTransport(transport);
        submission = spoolComponent;
    }

    @AfterEach
    void unwire() {
        if (spoolComponent != null) {
            spoolComponent.deactivate();
        }
        if (transport != null) {
            transport.deactivate();
        }
        if (postfix != null) {
            postfix.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void aMessageSubmittedWithSwaksArrivesIntactInPostfixOverTls() throws Exception {
        Listener listener = start(SUBMISSION);
        String body = "Line one of the body.\nLine two, with a leading dot next:\n.hidden dot\nThe end.";
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort()).helo("client.test")
                .from("alice@example.test").to("bob@example.test")
                .starttls().verifyWith(caPem).auth("alice", "s3cret", "PLAIN")
                .header("Subject: end to end").header("X-Trace: e2e-1").body(body).run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(result.transcript()).contains("<~  250 2.0.0 Ok: queued as ");

        List<Path> delivered = postfix.awaitMessages(1, WAIT);
        String message = Files.readString(delivered.get(0), StandardCharsets.UTF_8);
        assertThat(message).contains("Subject: end to end").contains("X-Trace: e2e-1")
                .contains("(authenticated user alice)")
                .contains("Line one of the body.\nLine two, with a leading dot next:\n.hidden dot\nThe end.");
        // Postfix's log: the relay hop used TLS and logged in as the route's user.
        transport.deactivate(); // closes the pooled connection, so that Postfix logs the session's end
        List<String> disconnects = postfix.awaitDisconnects(587, 1, WAIT);
        assertThat(postfix.tlsConnections(587)).isNotEmpty().allSatisfy(line -> assertThat(line).contains("TLSv1.3"));
        assertThat(postfix.saslLogins(587)).singleElement().asString().contains("sasl_username=relayuser");
        assertThat(PostfixPeer.commandCounts(disconnects.get(0))).containsEntry("starttls", "1").containsEntry("data", "1");
        assertThat(spoolComponent.depth()).isZero();
    }

    /**
     * DSN parameters cross two hops intact: decoded by the listener, encoded once by the transport
     * and decoded by Postfix, whose success notice (NOTIFY=SUCCESS) names the envelope id and the
     * original recipient exactly as the client meant them. Encoded twice, they would read
     * {@code QQ+2B314+3D159}; not encoded, Postfix would refuse the ORCPT.
     */
    @Test
    void envelopeIdAndOriginalRecipientReachPostfixsNoticeAsTheClientMeantThem() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=QQ+2B314+3D159 RET=HDRS")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@example.test> NOTIFY=SUCCESS ORCPT=rfc822;bob+2Btag+3D1@example.test"))
                    .startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw("Subject: with DSN\r\n\r\nhello\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
        }
        List<Path> delivered = postfix.awaitMessages(2, WAIT);
        String notice = delivered.stream().map(path -> {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(text -> text.contains("message/delivery-status")).findFirst().orElseThrow();
        assertThat(notice).contains("Original-Envelope-Id: QQ+314=159")
                .contains("Original-Recipient: rfc822;bob+tag=1@example.test")
                .contains("Final-Recipient: rfc822; bob@example.test")
                .contains("Action: delivered");
    }
}
