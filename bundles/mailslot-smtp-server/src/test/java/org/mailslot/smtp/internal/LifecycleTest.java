package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.TlsMode;

/** Binding follows the port strategy; closing is graceful. */
class LifecycleTest extends ListenerTestSupport {

    @Test
    void waitsUnboundForItsFirstStrategyAndAnswers421WhileItIsMissingLater() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Listener listener = create(10587, "port", port);
        listener.strategy(Optional.empty());
        ListenerStatus waiting = listener.status();
        assertThat(waiting.state()).isEqualTo(ListenerState.WAITING);
        assertThat(waiting.detail()).isEqualTo("waiting for a port strategy for port 10587 (is mailslot-transport started?)");
        assertThat(waiting.tlsMode()).isEmpty();
        assertThatThrownBy(() -> SmtpClient.connect(port)).isInstanceOf(ConnectException.class);

        listener.strategy(Optional.of(SUBMISSION));
        assertThat(listener.status()).extracting(ListenerStatus::state, ListenerStatus::port, ListenerStatus::tlsMode)
                .containsExactly(ListenerState.BOUND, port, Optional.of(TlsMode.STARTTLS_REQUIRED));
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO client.test")).contains("STARTTLS");
            listener.strategy(Optional.empty());
            // A session already open keeps its strategy; new connections are no longer accepted.
            assertThat(client.command("NOOP")).startsWith("250");
        }
        assertThat(listener.status().state()).isEqualTo(ListenerState.WAITING);
        // Bound once, it stays bound and asks new clients to come back, rather than refusing them.
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertThat(client.reply()).isEqualTo("421 4.3.2 " + HOST + " Service not available, try again later");
            assertThat(client.reply()).as("then the connection is closed").isEmpty();
        }
        listener.strategy(Optional.of(SUBMISSION));
        assertThat(listener.status()).extracting(ListenerStatus::state, ListenerStatus::detail)
                .containsExactly(ListenerState.BOUND, "");
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertThat(client.reply()).startsWith("220 ");
        }
        listener.close();
    }

    @Test
    void reportsWhyItCannotBind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Listener listener = create(25, "port", taken.getLocalPort());
            listener.strategy(Optional.of(RELAY));
            assertThat(listener.status().state()).isEqualTo(ListenerState.FAILED);
            assertThat(listener.status().detail()).startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void closingAnswersIdleSessionsAndLetsATransactionFinish() throws Exception {
        Listener listener = start(RELAY, "shutdown.grace", 20);
        CountDownLatch gate = new CountDownLatch(1);
        spool.commitGate = gate;
        try (SmtpClient idle = connect(listener); SmtpClient busy = connect(listener)) {
            idle.command("EHLO idle.example");
            busy.command("EHLO busy.example");
            busy.command("MAIL FROM:<a@peer.example>");
            busy.command("RCPT TO:<postmaster@example.test>");
            busy.command("DATA");
            busy.raw("Subject: in flight\r\n\r\nx\r\n.\r\n");
            await().until(() -> spool.commitThread != null);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(listener::close);
            assertThat(idle.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down");
            assertThat(idle.closedByServer()).isTrue();
            await().until(() -> listener.status().state() == ListenerState.CLOSING);
            assertThat(closing).isNotDone();

            gate.countDown();
            assertThat(busy.reply()).startsWith("250 2.0.0 Ok: queued as M1");
            assertThat(busy.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down");
            closing.join();
        }
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void countsConnectionsAndAcceptedMessages() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            await().until(() -> listener.status().connections() == 1);
            send(client, "a@peer.example", "postmaster@example.test", "Subject: 1\r\n\r\n1\r\n");
            send(client, "a@peer.example", "postmaster@example.test", "Subject: 2\r\n\r\n2\r\n");
        }
        assertThat(listener.status().messagesAccepted()).isEqualTo(2);
        assertThat(listener.status().name()).isEqualTo("test");
        assertThat(listener.status().strategyPort()).isEqualTo(25);
    }
}
