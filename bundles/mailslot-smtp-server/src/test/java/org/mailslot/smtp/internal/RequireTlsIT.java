package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.spool.internal.DeliveryConfig;
import org.mailslot.spool.internal.SpoolComponent;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.Relay25Strategy;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;

/**
 * REQUIRETLS (RFC 8689) across hops, every part real and wired as DS wires it: a client submits
 * with {@code MAIL FROM ... REQUIRETLS} to a first Mailslot listener, its spool and transport relay
 * the message over a route that verifies certificates, either to a second Mailslot listener (which
 * offers REQUIRETLS and receives the flag) or to a private Postfix on 127.0.0.22:25 (Debian's
 * Postfix has no REQUIRETLS), where nothing is sent and the sender gets a DSN with 5.7.30.
 */
class RequireTlsIT extends ListenerTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Not Postfix's default 127.0.0.2, which other suites' peers use. */
    private static final String POSTFIX = "127.0.0.22";

    @TempDir
    Path dir;

    private SmtpMailTransport transport;
    private SpoolComponent spoolComponent;
    private PostfixPeer postfix;
    private final MemorySubmission secondHop = new MemorySubmission();

    @BeforeEach
    void wire() throws IOException {
        // The client side trusts only the test CA, and verifies the host name.
        TlsServiceImpl clientTls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", caPem.toString(), "trust.jdk.defaults", false, "self.signed.enabled", false,
                "reload.interval.seconds", 0)));
        transport = new SmtpMailTransport(clientTls, java.time.Clock.systemUTC(), Duration.ofSeconds(1));
        spoolComponent = new SpoolComponent(ComponentConfig.of(DeliveryConfig.class, Map.of(
                "spool.directory", dir.resolve("spool").toString(),
                "mailbox.directory", dir.resolve("mailboxes").toString(),
                "local.domains", "localhost",
                "local.recipients", "alice",
                "pipeline.required", "none")));
        spoolComponent.bindTransport(transport);
        submission = spoolComponent;
    }

    @AfterEach
    void unwire() {
        spoolComponent.deactivate();
        transport.deactivate();
        if (postfix != null) {
            postfix.close();
        }
    }

    /** A verifying relay route for the domain to the host and port, under a port-25 strategy. */
    private void route(String domain, String host, int port) {
        transport.addStrategy(PortStrategy.of(port, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.NONE),
                Map.of());
        Route route = new Route("to-" + domain, Route.Kind.RELAY, host, List.of(port), Set.of(domain), false,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        transport.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofSeconds(5), Duration.ofMinutes(10), Optional.of("first.mailslot.test")), 2));
    }

    /** Submits as alice with REQUIRETLS. */
    private void submitRequiringTls(String recipient, String subject) throws IOException {
        Listener first = start(SUBMISSION);
        try (SmtpClient client = authenticated(first)) {
            assertThat(client.command("EHLO client.test")).contains("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<alice@localhost> REQUIRETLS")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw("Subject: " + subject + "\r\n\r\nFor your eyes over TLS only.\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
        }
    }

    @Test
    void travelsWithRequireTlsToASecondMailslotListenerOverVerifiedTls() throws Exception {
        // The second hop has no sender checks to run: it is the test's own receiver.
        Map<String, Object> config = new HashMap<>(Map.of("port", 0, "strategy", 25, "hostname", HOST,
                "local.domains", new String[] {"example.test"}, "shutdown.grace", 2, "sender.checks", "off"));
        Listener second = new Listener(Settings.of("second", Configs.of(ListenerConfig.class,
                config.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray())), tls, users,
                authThrottle, () -> secondHop);
        try {
            second.strategy(Optional.of(PortStrategy.of(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC,
                    AuthPolicy.OPTIONAL)));
            route("example.test", "127.0.0.1", second.boundPort());

            submitRequiringTls("bob@example.test", "sealed");

            await("the message at the second listener").atMost(WAIT).until(() -> secondHop.stored.size() == 1);
            MemorySubmission.Stored stored = secondHop.stored.get(0);
            assertThat(stored.envelope().requireTls()).isTrue();
            assertThat(stored.text()).contains("Subject: sealed").contains("For your eyes over TLS only.")
                    .startsWith("Received: from first.mailslot.test ([127.0.0.1])\r\n\tby " + HOST
                            + " (Mailslot) with ESMTPS id ");
            await("the spool empty").atMost(WAIT).until(() -> spoolComponent.depth() == 0);
        } finally {
            second.close();
        }
    }

    @Test
    void isRefusedTowardsPostfixWhichHasNoRequireTlsAndBouncesWith5730() throws Exception {
        postfix = PostfixPeer.builder().address(POSTFIX).certificate(ca.issueServer(POSTFIX, "mx.example.test"))
                .domains("example.test").closed(PostfixPeer.Listener.SUBMISSION)
                .closed(PostfixPeer.Listener.SUBMISSIONS).closed(PostfixPeer.Listener.ALTERNATE).start();
        transport.addStrategy(new Relay25Strategy(), Map.of());
        route("example.test", POSTFIX, 25);

        submitRequiringTls("carol@example.test", "never without requiretls");

        Path inbox = dir.resolve("mailboxes").resolve("alice@localhost").resolve("new");
        String notice = await("the DSN in alice's mailbox").atMost(WAIT).until(() -> files(inbox), list -> !list.isEmpty())
                .stream().map(RequireTlsIT::read).findFirst().orElseThrow();
        assertThat(notice).contains("multipart/report; report-type=delivery-status")
                .contains("Final-Recipient: rfc822; carol@example.test").contains("Action: failed")
                .contains("Status: 5.7.30").contains("does not offer REQUIRETLS");
        transport.deactivate();
        List<String> disconnects = postfix.awaitDisconnects(25, 1, WAIT);
        assertThat(PostfixPeer.commandCounts(disconnects.get(0))).containsKey("starttls")
                .doesNotContainKeys("mail", "rcpt", "data");
        assertThat(postfix.messages()).isEmpty();
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
