package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.MutableClock;
import org.mailslot.tls.internal.TlsServiceImpl;

/** A transport, a trusted TLS service, and helpers to start fake servers and build routes. */
abstract class DeliveryFixture {

    static final byte[] MESSAGE = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: test\r\n\r\n"
            + "Hello.\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    TestPki.Ca ca;
    TlsServiceImpl tls;
    MutableClock clock;
    SmtpMailTransport transport;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUpFixture() throws Exception {
        ca = TestPki.ca("Transport Test CA");
        tls = TestTls.service(TestPki.serverPkcs12(ca, dir.resolve("server.p12")), ca.writePem(dir.resolve("ca.pem")));
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        transport = new SmtpMailTransport(tls, clock, Duration.ofMillis(50));
    }

    @AfterEach
    void tearDownFixture() throws Exception {
        transport.deactivate();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    FakeSmtpServer plain() throws IOException {
        FakeSmtpServer server = FakeSmtpServer.plain(tls);
        closeables.add(server);
        return server;
    }

    FakeSmtpServer implicit() throws IOException {
        FakeSmtpServer server = FakeSmtpServer.implicitTls(tls);
        closeables.add(server);
        return server;
    }

    /** @return a port nothing listens on */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** @return a port that accepts connections and never says anything */
    int silentPort() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        closeables.add(socket);
        return socket.getLocalPort();
    }

    void strategy(int port, TlsMode mode, AuthPolicy auth) {
        transport.addStrategy(PortStrategy.of(port, PortRole.SUBMISSION, mode, auth), Map.of());
    }

    Route relay(String name, List<Integer> ports, Optional<RouteSettings.Credentials> credentials) {
        return relay(name, ports, credentials, PeerVerification.FULL, Duration.ofMinutes(1));
    }

    Route relay(String name, List<Integer> ports, Optional<RouteSettings.Credentials> credentials,
            PeerVerification verification, Duration idleTimeout) {
        Route route = new Route(name, Route.Kind.RELAY, "127.0.0.1", ports, Set.of("*"), credentials.isPresent(),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        transport.addRelay(new RelayRoute(new RouteSettings(route, credentials, verification, idleTimeout,
                Duration.ofMinutes(10), Optional.of("client.test")), 4));
        return route;
    }

    static Optional<RouteSettings.Credentials> credentials() {
        return Optional.of(new RouteSettings.Credentials("user", "secret"));
    }

    DeliveryResult send(Route route, String from, String... to) {
        Envelope.Builder envelope = Envelope.builder().from(from);
        for (String recipient : to) {
            envelope.to(recipient);
        }
        return transport.deliver(envelope.build(), MessageSource.of(MESSAGE), route);
    }

}
