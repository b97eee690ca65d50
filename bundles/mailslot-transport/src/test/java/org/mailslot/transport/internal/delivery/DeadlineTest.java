package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.StallingPeer;

/**
 * Next hops that would hold a delivery thread for ever (issue 13, High 2 and a Low): one that answers
 * 354 and never reads, one that trickles its greeting. Real sockets on loopback; the deadlines are a
 * second or two, and {@code @Timeout} only stops a run that would otherwise hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineTest extends DeliveryFixture {

    /** Larger than what the kernel buffers between the two sockets, so the client's write blocks. */
    private static final byte[] LARGE = large(24 * 1024 * 1024);

    @Test
    void aNextHopThatStopsReadingAfterDataIsCutOffAtTheDataDeadlineAndTheMessageDeferred() throws Exception {
        StallingPeer peer = StallingPeer.stopsReadingAfterData();
        closeables.add(peer);
        Route route = route("stalled", peer.port(), Duration.ofSeconds(30), Duration.ofSeconds(1));

        DeliveryResult result = transport.deliver(envelope(), MessageSource.of(LARGE), route);

        assertThat(peer.dataCommands()).isEqualTo(1);
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("4.4.2");
        assertThat(outcome.failure()).contains(FailureCause.TIMED_OUT);
        assertThat(outcome.text()).contains("the message content was not taken within 1 s (data deadline)");
        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TIMED_OUT);
        assertThat(transport.deadlines().watched()).isZero();
    }

    @Test
    void aTricklingGreetingIsCutOffAtTheConnectTimeout() throws Exception {
        StallingPeer peer = StallingPeer.tricklesGreeting();
        closeables.add(peer);
        // Every byte arrives well within the read timeout; only one deadline over connect and greeting ends it.
        Route route = route("trickle", peer.port(), Duration.ofSeconds(1), Duration.ofSeconds(30));

        DeliveryResult result = transport.deliver(envelope(), MessageSource.of(DeliveryFixture.MESSAGE), route);

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.enhancedCode()).isEqualTo("4.4.1");
        assertThat(outcome.failure()).contains(FailureCause.NO_USABLE_SERVER);
        assertThat(result.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.result()).isEqualTo(Attempt.Result.TIMED_OUT);
            assertThat(attempt.detail()).contains("no connection and greeting within 1 s");
        });
        assertThat(transport.deadlines().watched()).isZero();
    }

    @Test
    void anAnsweringNextHopIsNotCutOffAndItsConnectionIsWatchedOnlyWhileOpen() throws Exception {
        FakeSmtpServer server = plain();
        Route route = route("fine", server.port(), Duration.ofSeconds(1), Duration.ofSeconds(1));

        DeliveryResult result = transport.deliver(envelope(), MessageSource.of(DeliveryFixture.MESSAGE), route);

        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.ACCEPTED);
        assertThat(transport.deadlines().watched()).isOne();
        transport.pool().close();
        assertThat(transport.deadlines().watched()).isZero();
    }

    private Route route(String name, int port, Duration connectTimeout, Duration dataTimeout) {
        strategy(port, TlsMode.NONE, AuthPolicy.NONE);
        Route route = new Route(name, Route.Kind.RELAY, "127.0.0.1", List.of(port), Set.of("*"), false, connectTimeout,
                Duration.ofSeconds(30));
        transport.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofMinutes(1), Duration.ofMinutes(10), Optional.of("client.test"), dataTimeout), 4));
        return route;
    }

    private static Envelope envelope() {
        return Envelope.builder().from("a@example.org").to("b@example.org").build();
    }

    private static byte[] large(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        for (int i = 76; i + 1 < size; i += 78) {
            body[i] = '\r';
            body[i + 1] = '\n';
        }
        byte[] headers = "Subject: large\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(headers, 0, body, 0, headers.length);
        return body;
    }
}
