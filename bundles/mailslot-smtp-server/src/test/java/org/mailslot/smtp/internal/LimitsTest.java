package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Connections, timeouts and the streaming of large messages. */
class LimitsTest extends ListenerTestSupport {

    @Test
    void limitsConnectionsInTotal() throws Exception {
        Listener listener = start(RELAY, "max.connections", 2);
        try (SmtpClient one = connect(listener); SmtpClient two = connect(listener);
                SmtpClient three = SmtpClient.connect(listener.boundPort())) {
            assertThat(three.reply()).isEqualTo("421 4.7.0 " + HOST + " Too many connections, try again later");
            assertThat(three.closedByServer()).isTrue();
            assertThat(one.command("NOOP")).startsWith("250");
            assertThat(two.command("NOOP")).startsWith("250");
            assertThat(listener.status().connections()).isEqualTo(2);
        }
        await().until(() -> listener.status().connections() == 0);
        try (SmtpClient again = connect(listener)) {
            assertThat(again.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void limitsConnectionsPerClientAddress() throws Exception {
        Listener listener = start(RELAY, "max.connections.per.client", 1);
        try (SmtpClient one = connect(listener); SmtpClient two = SmtpClient.connect(listener.boundPort())) {
            assertThat(two.reply()).isEqualTo("421 4.7.0 " + HOST + " Too many connections from your address, try again later");
            assertThat(two.closedByServer()).isTrue();
            assertThat(one.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void closesIdleSessionsAfterTheCommandTimeout() throws Exception {
        Listener listener = start(RELAY, "command.timeout", 1);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO peer.example")).startsWith("250");
            assertThat(client.reply()).isEqualTo("421 4.4.2 " + HOST + " Error: timeout exceeded");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void discardsTheMessageAfterTheDataTimeout() throws Exception {
        Listener listener = start(RELAY, "data.timeout", 1, "command.timeout", 60);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example>");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw("Subject: half a message\r\n");
            assertThat(client.reply()).isEqualTo("421 4.4.2 " + HOST + " Error: timeout exceeded");
        }
        await().until(() -> spool.discarded.get() == 1);
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void streamsALargeMessageIntoTheSpoolAsItArrives() throws Exception {
        spool.keepBytes = false;
        Listener listener = start(RELAY, "max.message.size", 64L * 1024 * 1024);
        byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example> SIZE=31457280");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw("Subject: 30 MB\r\n\r\n");
            for (int i = 0; i < 15_000; i++) {
                client.raw(line);
            }
            // Half of it is in the spool before the client has even finished sending.
            await().until(() -> spool.bytesInFlight.get() > 10_000_000);
            assertThat(spool.stored).isEmpty();
            for (int i = 0; i < 15_000; i++) {
                client.raw(line);
            }
            client.raw(".\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
        }
        assertThat(spool.bytesInFlight.get()).isGreaterThan(30_000_000);
    }

    @Test
    void stopsReadingWhileTheSpoolFallsBehind() throws Exception {
        spool.keepBytes = false;
        Listener listener = start(RELAY, "max.message.size", 64L * 1024 * 1024);
        byte[] block = ("x".repeat(998) + "\r\n").repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example>");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            int before = spool.writesStarted.get();
            spool.writeGate = new CountDownLatch(1);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        client.raw(block);
                    }
                    client.raw(".\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().until(() -> spool.writesStarted.get() > before);
            // The spool is stuck: the listener stops reading, so 30 MB cannot all be sent.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !sending.isDone());
            spool.writeGate.countDown();
            sending.get(60, TimeUnit.SECONDS);
            assertThat(client.reply()).startsWith("250 2.0.0");
        }
        assertThat(spool.bytesInFlight.get()).isGreaterThan(30_000_000);
    }

    @Test
    void stopsProcessingCommandsWhileTheClientDoesNotReadItsReplies() throws Exception {
        Listener listener = start(RELAY, "max.junk.commands", Integer.MAX_VALUE);
        int noops = 1_000_000;
        try (Socket socket = new Socket()) {
            // Small, so that the replies cannot hide in the client's kernel buffer.
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", listener.boundPort()));
            OutputStream out = socket.getOutputStream();
            byte[] block = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < noops / 10_000; i++) {
                        out.write(block);
                    }
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The replies pile up once the kernel's buffers are full (megabytes on loopback), past netty's
            // low water mark (32 KiB; the channel stays unwritable until it drains below it, so a stalled
            // session may hold anything from there to the high mark, 64 KiB), and no further: 14 MB of
            // replies would otherwise wait in memory for a client that never reads.
            await().atMost(Duration.ofSeconds(180)).until(() -> listener.queuedOutput() > 32 * 1024);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> listener.queuedOutput() < 128 * 1024);

            // Nothing was lost: once the client reads, every command gets its reply, in order.
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220 ");
            for (int i = 0; i < noops; i++) {
                String reply = in.readLine();
                if (!"250 2.0.0 Ok".equals(reply)) {
                    assertThat(reply).as("reply " + i).isEqualTo("250 2.0.0 Ok");
                }
            }
            assertThat(in.readLine()).isEqualTo("221 2.0.0 " + HOST + " Bye");
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void endsASessionThatKeepsMakingErrors() throws Exception {
        Listener listener = start(RELAY, "max.errors", 3);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("XYZZY")).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(client.command("RCPT TO:<a@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
            client.command("EHLO peer.example");
            // A delivered message wipes the slate: only errors since the last one count.
            assertThat(send(client, "a@peer.example", "postmaster@example.test", "Subject: ok\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
            assertThat(client.command("MAIL FROM:<bad address>")).startsWith("553 5.1.7");
            assertThat(client.command("DATA")).isEqualTo("503 5.5.1 Need MAIL before DATA");
            client.raw("NOOP\nRSET\r\n");
            assertThat(client.reply()).startsWith("500 5.5.2 Syntax error: bare CR or LF");
            assertThat(client.reply()).isEqualTo("421 4.7.0 " + HOST + " Error: too many errors");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void aMillionPipelinedRsetsAreJunkAndEndTheSession() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            byte[] block = "RSET\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        client.raw(block);
                    }
                } catch (IOException closedByTheServer) {
                    // Expected: the session ends long before the last one.
                }
            });
            // Postfix's smtpd_junk_command_limit counts RSET too: 100 free, then 20 errors.
            for (int i = 0; i < 120; i++) {
                assertThat(client.reply()).as("reply " + i).isEqualTo("250 2.0.0 Ok");
            }
            assertThat(client.reply()).isEqualTo("421 4.7.0 " + HOST + " Error: too many errors");
            assertThat(client.closedByServer()).isTrue();
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void junkCommandsBeyondTheAllowanceCountAsErrors() throws Exception {
        Listener listener = start(RELAY, "max.junk.commands", 2, "max.errors", 2);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("HELP")).startsWith("214");
            assertThat(client.command("VRFY postmaster")).startsWith("252");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.reply()).isEqualTo("421 4.7.0 " + HOST + " Error: too many errors");
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
