package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;

/** A session without netty: lines and message octets in through its methods, replies out through a channel of the test's. */
class SmtpSessionTest extends ListenerTestSupport {

    /** The session's channel: keeps the replies, and the loop's tasks for the test to run. */
    static final class RecordingChannel implements SessionChannel {
        final List<String> replies = new CopyOnWriteArrayList<>();
        final Queue<Runnable> loop = new ConcurrentLinkedQueue<>();
        boolean paused;
        boolean closed;

        @Override
        public void reply(String text) {
            replies.add(text);
        }

        @Override
        public void flushReply(String text) {
            replies.add(text);
        }

        @Override
        public void closeAfter(String text) {
            replies.add(text);
            closed = true;
        }

        @Override
        public void startTls(SSLEngine engine, String reply) {
            throw new UnsupportedOperationException("not in this test");
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public boolean paused() {
            return paused;
        }

        @Override
        public boolean awaitingHandshake() {
            return false;
        }

        @Override
        public void updateAutoRead() {
        }

        @Override
        public void onLoop(Runnable task) {
            loop.add(task);
        }

        @Override
        public Future<?> schedule(Runnable task, long nanos) {
            return new CompletableFuture<>();
        }

        /** Runs the loop's tasks until the session is no longer paused. */
        void runLoopUntilResumed() {
            while (paused) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !loop.isEmpty());
                loop.poll().run();
            }
        }

        String last() {
            return replies.get(replies.size() - 1);
        }
    }

    @Test
    void aMessageGoesFromLinesAndOctetsToTheSpoolWithoutNetty() {
        Listener listener = create(25);
        RecordingChannel channel = new RecordingChannel();
        SmtpSession session = new SmtpSession(listener, RELAY, new InetSocketAddress("192.0.2.7", 40000), channel);
        session.greet(null);
        assertThat(channel.last()).isEqualTo("220 " + HOST + " ESMTP Mailslot");

        say(session, channel, "EHLO peer.example");
        assertThat(channel.last()).startsWith("250-" + HOST + " Hello peer.example").endsWith("250-DSN\r\n250 STARTTLS");
        say(session, channel, "MAIL FROM:<a@peer.example>");
        assertThat(channel.last()).isEqualTo("250 2.1.0 Ok");
        say(session, channel, "RCPT TO:<postmaster@example.test>");
        assertThat(channel.last()).isEqualTo("250 2.1.5 Ok");
        say(session, channel, "DATA");
        // The spool opens the message on a worker; 354 comes back on the loop.
        channel.runLoopUntilResumed();
        assertThat(channel.last()).isEqualTo("354 End data with <CR><LF>.<CR><LF>");
        assertThat(session.inData()).isTrue();

        // The message in two pieces that break inside the stuffed dot's line; a pipelined QUIT after it.
        byte[] first = "Subject: s\r\n\r\n.".getBytes(StandardCharsets.US_ASCII);
        byte[] second = ".dot\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(session.message().receive(first, 0, first.length)).isEqualTo(first.length);
        assertThat(session.message().ended()).isFalse();
        assertThat(session.message().receive(second, 0, second.length)).isEqualTo(second.length - "QUIT\r\n".length());
        assertThat(session.message().ended()).isTrue();
        session.endOfData();
        channel.runLoopUntilResumed();

        assertThat(channel.last()).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(session.inData()).isFalse();
        assertThat(spool.stored).hasSize(1);
        assertThat(spool.stored.get(0).text()).startsWith("Received: from peer.example ([192.0.2.7])\r\n")
                .endsWith("\r\nSubject: s\r\n\r\n.dot\r\n");
        say(session, channel, "QUIT");
        assertThat(channel.last()).isEqualTo("221 2.0.0 " + HOST + " Bye");
        assertThat(channel.closed).isTrue();
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void aBadPasswordIsCountedAndTheLastFailureEndsTheSession() {
        Listener listener = create(25, "max.auth.failures", 2);
        RecordingChannel channel = new RecordingChannel();
        SmtpSession session = new SmtpSession(listener, RELAY, new InetSocketAddress("192.0.2.7", 40000), channel);
        session.greet(null);
        session.tlsUp("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
        say(session, channel, "EHLO peer.example");
        assertThat(channel.last()).endsWith("250 AUTH PLAIN LOGIN");
        say(session, channel, "AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice\0wrong".getBytes(StandardCharsets.UTF_8)));
        channel.runLoopUntilResumed();
        assertThat(channel.last()).isEqualTo("535 5.7.8 Authentication credentials invalid");
        say(session, channel, "AUTH LOGIN");
        assertThat(channel.last()).isEqualTo("334 VXNlcm5hbWU6");
        say(session, channel, Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8)));
        say(session, channel, Base64.getEncoder().encodeToString("still wrong".getBytes(StandardCharsets.UTF_8)));
        channel.runLoopUntilResumed();
        assertThat(channel.replies.subList(channel.replies.size() - 2, channel.replies.size())).containsExactly(
                "535 5.7.8 Authentication credentials invalid", "421 4.7.0 " + HOST + " Too many failed authentication attempts");
        assertThat(session.isClosed()).isTrue();
    }

    /** Hands the session a command line, as the channel's framer would. */
    private static void say(SmtpSession session, RecordingChannel channel, String line) {
        CommandLineFramer framer = new CommandLineFramer(1000);
        byte[] octets = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(framer.frame(octets, 0, octets.length)).isEqualTo(octets.length);
        session.line(framer);
    }
}
