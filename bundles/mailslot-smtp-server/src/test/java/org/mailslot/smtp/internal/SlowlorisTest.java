package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold a connection by trickling octets: a byte now and then never completes a
 * command line or a message, and must not keep the connection (or the listener) forever.
 */
class SlowlorisTest extends ListenerTestSupport {

    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    private final List<Dribbler> dribblers = new ArrayList<>();

    @AfterEach
    void stopDribbling() throws IOException {
        trickle.shutdownNow();
        for (Dribbler dribbler : dribblers) {
            dribbler.socket.close();
        }
    }

    @Test
    void aCommandLineTrickledOctetByOctetTimesOut() throws Exception {
        Listener listener = start(RELAY, "command.timeout", 1);
        Dribbler dribbler = dribble(listener, "127.0.0.1", "", "EHLO ".repeat(400));
        // Octets every 50 ms: an idle timer would never fire; the line's deadline does.
        await().atMost(Duration.ofSeconds(10)).until(dribbler::closedByServer);
        assertThat(dribbler.received()).endsWith("421 4.4.2 " + HOST + " Error: timeout exceeded\r\n");
    }

    @Test
    void aMessageTrickledOctetByOctetTimesOutAfterItsDeadline() throws Exception {
        Listener listener = start(RELAY, "command.timeout", 60, "data.timeout", 1, "data.min.rate", 500);
        Dribbler dribbler = dribble(listener, "127.0.0.1", "EHLO slow.example\r\nMAIL FROM:<a@slow.example>\r\n"
                + "RCPT TO:<postmaster@example.test>\r\nDATA\r\n", "x".repeat(10_000));
        await().atMost(Duration.ofSeconds(10)).until(dribbler::closedByServer);
        assertThat(dribbler.received()).contains("354 ").endsWith("421 4.4.2 " + HOST + " Error: timeout exceeded\r\n");
        await().until(() -> spool.discarded.get() == 1);
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void aMessageArrivingFasterThanTheMinimumRateHasTimeBeyondTheFloor() throws Exception {
        Listener listener = start(RELAY, "command.timeout", 60, "data.timeout", 1, "data.min.rate", 10);
        // 49 octets at 20 per second: over two seconds, twice the floor, and each octet earned 0.1 s.
        Dribbler sender = dribble(listener, "127.0.0.1", "EHLO slow.example\r\nMAIL FROM:<a@slow.example>\r\n"
                + "RCPT TO:<postmaster@example.test>\r\nDATA\r\n", "Subject: slow\r\n\r\n" + "x".repeat(25) + "\r\n.\r\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> sender.received().contains("250 2.0.0 Ok: queued as"));
        assertThat(sender.received()).doesNotContain("421");
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.text()).endsWith("x".repeat(25) + "\r\n"));
    }

    @Test
    void aListenerFilledByDribblersFreesUpForALegitimateClient() throws Exception {
        // As the attack did it: every slot taken by connections from ten addresses, each sending an octet now and then.
        Listener listener = start(RELAY, "max.connections", 30, "max.connections.per.client", 3, "command.timeout", 300,
                "stress.threshold", 50, "stress.command.timeout", 1);
        for (int i = 2; i < 12; i++) {
            for (int j = 0; j < 3; j++) {
                dribble(listener, "127.0.0." + i, "", "HELO ".repeat(400));
            }
        }
        await().until(() -> listener.status().connections() >= 30);

        // Under stress the dribblers get seconds, not minutes: the legitimate client is served.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (SmtpClient client = connect(listener)) {
                assertThat(client.command("EHLO legit.example")).startsWith("250");
                assertThat(send(client, "someone@legit.example", "postmaster@example.test", "Subject: hi\r\n\r\nx\r\n"))
                        .startsWith("250 2.0.0");
            }
        });
        assertThat(spool.stored).hasSize(1);
        // Stress lasts until the open connections are below the threshold (15): at least 16 of them were cut.
        await().until(() -> dribblers.stream().filter(Dribbler::timedOut).count() >= 16);
        assertThat(listener.status().connections()).isLessThan(15);
    }

    /** A connection from the address that sends the preamble at once, then one octet of the text every 50 ms. */
    private Dribbler dribble(Listener listener, String from, String preamble, String text) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", listener.boundPort()));
        socket.getOutputStream().write(preamble.getBytes(StandardCharsets.US_ASCII));
        Dribbler dribbler = new Dribbler(socket, text.getBytes(StandardCharsets.US_ASCII));
        dribblers.add(dribbler);
        trickle.scheduleWithFixedDelay(dribbler::next, 50, 50, TimeUnit.MILLISECONDS);
        return dribbler;
    }

    private static final class Dribbler {
        final Socket socket;
        private final byte[] octets;
        private int sent;
        private final StringBuilder received = new StringBuilder();
        private boolean closed;

        Dribbler(Socket socket, byte[] octets) {
            this.socket = socket;
            this.octets = octets;
        }

        void next() {
            try {
                OutputStream out = socket.getOutputStream();
                if (sent < octets.length && !socket.isClosed()) {
                    out.write(octets[sent++]);
                }
            } catch (IOException e) {
                // The server closed it: that is what the tests wait for.
            }
        }

        synchronized boolean closedByServer() throws IOException {
            read();
            return closed;
        }

        boolean timedOut() {
            try {
                return received().endsWith("421 4.4.2 " + HOST + " Error: timeout exceeded\r\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        synchronized String received() throws IOException {
            read();
            return received.toString();
        }

        private void read() throws IOException {
            if (closed) {
                return;
            }
            // A short read timeout: look at what is there, and whether the stream ended, without waiting.
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    received.append((char) b);
                }
                closed = true;
            } catch (SocketTimeoutException nothingMore) {
                // Still open.
            } catch (IOException reset) {
                closed = true;
            }
        }
    }
}
