package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.transport.PortProbe;
import org.mailslot.api.transport.PortProbe.Reachability;
import org.mailslot.transport.internal.probe.SocketSmtpProber;

/** The prober against in-test servers: what it reports before and after TLS, and when it times out. */
class ProberTest extends DeliveryFixture {

    private static final Duration TIMEOUT = Duration.ofMillis(800);

    @Test
    void showsTheExtensionsInClearAndUnderTls() throws Exception {
        FakeSmtpServer server = plain().offerStartTls(true).extensions("SIZE 10240000", "8BITMIME");

        PortProbe probe = prober().probe("127.0.0.1", List.of(server.port()), TIMEOUT).get(0);

        assertThat(probe.error()).isEmpty();
        assertThat(probe.starttlsOffered()).isTrue();
        assertThat(probe.extensionsBeforeTls()).contains("SIZE 10240000", "STARTTLS");
        assertThat(probe.extensions()).contains("SIZE 10240000").doesNotContain("STARTTLS");
        assertThat(probe.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.verified()).isTrue();
            assertThat(tls.peerSubject()).isEqualTo("CN=smtp.test");
        });
        assertThat(server.commands()).extracting(c -> c.line().split(" ")[0] + (c.tls() ? " under TLS" : " in clear"))
                .containsExactly("EHLO in clear", "STARTTLS in clear", "EHLO under TLS", "QUIT under TLS");
    }

    @Test
    void anImplicitTlsPortHasExtensionsOnlyUnderTls() throws Exception {
        FakeSmtpServer server = implicit();
        SocketSmtpProber prober = prober();
        prober.addStrategy(PortStrategy.of(server.port(), PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED),
                Map.of());

        PortProbe probe = prober.probe("127.0.0.1", List.of(server.port()), TIMEOUT).get(0);

        assertThat(probe.extensionsBeforeTls()).isEmpty();
        assertThat(probe.extensions()).contains("AUTH PLAIN LOGIN");
        assertThat(probe.starttlsOffered()).isFalse();
        assertThat(probe.tls()).isPresent();
    }

    @Test
    void aServerThatNeverGreetsTimesOutWithTheStepItWaitedFor() throws Exception {
        int silent = silentPort();

        PortProbe probe = prober().probe("127.0.0.1", List.of(silent), TIMEOUT).get(0);

        assertThat(probe.reachability()).as("the TCP connection was made").isEqualTo(Reachability.OPEN);
        assertThat(probe.banner()).isEmpty();
        assertThat(probe.error()).contains("timed out: no greeting within 800 ms");
    }

    @Test
    void anImplicitTlsPortThatNeverAnswersTheHandshakeTimesOut() throws Exception {
        int silent = silentPort();
        SocketSmtpProber prober = prober();
        prober.addStrategy(PortStrategy.of(silent, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED), Map.of());

        PortProbe probe = prober.probe("127.0.0.1", List.of(silent), TIMEOUT).get(0);

        assertThat(probe.error()).contains("timed out: no TLS handshake within 800 ms");
        assertThat(probe.tls()).isEmpty();
    }

    @Test
    void aConnectionThatIsNeverAcceptedTimesOut() throws Exception {
        // Linux drops the SYN of a connection to a listener whose accept queue is full: the
        // connection attempt waits out its timeout, as behind a firewall that drops packets.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        closeables.add(full);
        for (int i = 0; i < 10; i++) {
            Socket filler = new Socket();
            closeables.add(filler);
            try {
                filler.connect(new InetSocketAddress(full.getInetAddress(), full.getLocalPort()), 300);
            } catch (SocketTimeoutException e) {
                break;
            }
        }

        PortProbe probe = prober().probe("127.0.0.1", List.of(full.getLocalPort()), TIMEOUT).get(0);

        assertThat(probe.reachability()).isEqualTo(Reachability.TIMED_OUT);
        assertThat(probe.error()).contains("no connection within 800 ms");
        assertThat(probe.banner()).isEmpty();
    }

    @Test
    void aClosedPortIsRefused() throws IOException {
        PortProbe probe = prober().probe("127.0.0.1", List.of(closedPort()), TIMEOUT).get(0);

        assertThat(probe.reachability()).isEqualTo(Reachability.REFUSED);
    }

    private SocketSmtpProber prober() {
        return new SocketSmtpProber(tls);
    }
}
