package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.MutableClock;
import org.mailslot.testing.peers.SmtpSink;
import org.mailslot.testing.peers.StallingPeer;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;

/**
 * Issue 13, High 2, end to end: a relay whose next hop answers 354 and then never reads takes
 * every remote delivery worker. Local mail is still delivered at once (it has workers of its own);
 * the transport's data deadline frees the remote workers, the stalled messages are deferred and
 * kept, and mail for another destination (Postfix's {@code smtp-sink}) is delivered.
 */
class StalledNextHopIT {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String SINK = SmtpSink.DEFAULT_ADDRESS;
    /** More than the kernel buffers between client and peer, so that the client's write blocks. */
    private static final int LARGE = 12 * 1024 * 1024;

    private static TlsServiceImpl tls;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private SmtpMailTransport transport;
    private FileSpool spool;
    private DeliveryScheduler scheduler;
    private SmtpSink sink;
    private StallingPeer stalled;

    @BeforeAll
    static void tls() throws IOException {
        Path keys = Files.createTempDirectory("mailslot-spool-stalled");
        IssuedCertificate client = TestCa.create().issueServer("mailslot.test");
        tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "identity.key", client.writeKeyPem(keys.resolve("key.pem")).toString(),
                "identity.certificates", client.writeChainPem(keys.resolve("chain.pem")).toString(),
                "self.signed.enabled", false, "reload.interval.seconds", 0)));
    }

    @BeforeEach
    void wire() throws IOException {
        stalled = StallingPeer.stopsReadingAfterData();
        int sinkPort = freePort();
        sink = SmtpSink.builder().address(SINK).port(sinkPort).start();
        transport = new SmtpMailTransport(tls, clock, Duration.ofMillis(50));
        route("stalled", "127.0.0.1", stalled.port(), "stalled.example");
        route("sink", SINK, sinkPort, "example.org");
        // Two remote workers, two deliveries per destination: the stalled relay can take every remote worker.
        Settings settings = Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes")).withLimits(1 << 26, 2, 2);
        spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), SpoolIo.SYSTEM, clock);
        scheduler = new DeliveryScheduler(new FileQueueStore(spool, clock), settings, () -> transport, List::of,
                new Maildir(settings.mailboxDirectory(), SpoolIo.SYSTEM, clock), clock);
    }

    private void route(String name, String host, int port, String domain) {
        transport.addStrategy(PortStrategy.of(port, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL),
                Map.of());
        Route route = new Route(name, Route.Kind.RELAY, host, List.of(port), Set.of(domain), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        transport.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.of("mailslot.test"), Duration.ofSeconds(10)), 2));
    }

    @AfterEach
    void unwire() throws IOException {
        scheduler.close();
        spool.close();
        transport.deactivate();
        sink.close();
        stalled.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SINK))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void localMailAndOtherDestinationsAreDeliveredAndTheStalledMessagesDeferredAndKept() throws Exception {
        String first = submit(spool, envelope("alice@localhost", "a@stalled.example"), message("stalled 1", "x".repeat(LARGE))).id();
        String second = submit(spool, envelope("alice@localhost", "b@stalled.example"), message("stalled 2", "x".repeat(LARGE))).id();
        scheduler.start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(30)).until(() -> stalled.dataCommands() == 2);

        submit(spool, envelope("carol@example.org", "bob@localhost"), message("local", "for Bob"));
        submit(spool, envelope("alice@localhost", "carol@example.org"), message("elsewhere", "for Carol"));

        await().atMost(Duration.ofSeconds(30)).until(() -> files(dir.resolve("mailboxes/bob@localhost/new")).size() == 1);
        assertThat(spool.entry(first).orElseThrow().snapshot().attempts()).as("local mail did not wait for the deadline")
                .isZero();
        assertThat(sink.awaitAcceptedMessages(1, Duration.ofSeconds(60))).isEqualTo(1);

        for (String id : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> spool.entry(id).orElseThrow().snapshot().attempts() == 1);
            QueueEntry entry = spool.entry(id).orElseThrow().snapshot();
            assertThat(entry.recipients().get(0).status()).isEqualTo(Status.DEFERRED);
            assertThat(entry.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("4.4.2 timed out: the message content was not taken within 10 s (data deadline)"));
        }
        assertThat(spool.depth()).as("the stalled messages are kept for the next attempt").isEqualTo(2);
    }
}
