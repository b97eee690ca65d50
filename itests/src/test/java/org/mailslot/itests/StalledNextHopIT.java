package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.testing.peers.StallingPeer;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Issue 13, High 2, on the distribution as shipped (8 delivery threads, 2 per destination): four
 * relay routes whose next hop answers 354 and then never reads take every remote worker. Local
 * mail is delivered meanwhile; each route's {@code data.timeout} frees the workers, the stalled
 * messages are deferred and stay queued, and a route to a next hop that answers gets its mail.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class StalledNextHopIT extends LoadTestSupport {

    /** More than the kernel buffers between client and peer, so that the client's write blocks. */
    private static final int LARGE = 12 * 1024 * 1024;

    private StallingPeer stalled;
    private RelaySink sink;
    private final List<String> submitted = new ArrayList<>();

    @After
    public void cleanUp() throws Exception {
        deleteCreatedConfigurations();
        service(MailQueue.class).ifPresent(queue -> submitted.forEach(queue::delete));
        if (stalled != null) {
            stalled.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    public void fourStalledRoutesHoldNoLocalMailAndAreCutOffAtTheDataDeadline() throws Exception {
        stalled = StallingPeer.stopsReadingAfterData();
        sink = new RelaySink();
        strategy("stalled", stalled.port());
        strategy("answering", sink.firstPort());
        for (int i = 1; i <= 4; i++) {
            createFactoryConfiguration("org.mailslot.relay", "stalled" + i, Map.of("host", "127.0.0.1",
                    "ports", String.valueOf(stalled.port()), "domains", "s" + i + ".example", "data.timeout", "20"));
        }
        createFactoryConfiguration("org.mailslot.relay", "answering", Map.of("host", "127.0.0.1",
                "ports", String.valueOf(sink.firstPort()), "domains", "answering.example"));
        MailSubmission spool = await().until(() -> service(MailSubmission.class).orElse(null), s -> s != null);
        MailQueue queue = service(MailQueue.class).orElseThrow();
        // Routes and strategies in force before any message: a port without its strategy would be
        // taken as STARTTLS-required, and the destination suspended.
        await().until(() -> service(MailTransport.class).map(transport -> List.of("stalled1", "stalled2", "stalled3",
                "stalled4", "answering").stream().allMatch(name -> transport.route(name).isPresent())).orElse(false));
        await().until(() -> service(PortStrategy.class, "(mailslot.port=" + stalled.port() + ")").isPresent()
                && service(PortStrategy.class, "(mailslot.port=" + sink.firstPort() + ")").isPresent());

        List<String> stalledIds = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            for (int j = 0; j < 2; j++) {
                stalledIds.add(submit(spool, "user" + j + "@s" + i + ".example", "stalled " + i + "/" + j, LARGE));
            }
        }
        await().until(() -> stalled.dataCommands() == 8);

        String local = submit(spool, "alice@localhost", "local while stalled", 100);
        String elsewhere = submit(spool, "bob@answering.example", "elsewhere while stalled", 100);

        Path inbox = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes", "alice@localhost", "new");
        await().untilAsserted(() -> assertThat(queue.entry(local)).isEmpty());
        assertThat(messagesWithSubject(inbox, "local while stalled")).isOne();
        assertThat(stalledIds).as("every remote worker was still held when local mail was delivered")
                .allSatisfy(id -> assertThat(queue.entry(id).orElseThrow().attempts()).isZero());

        await().untilAsserted(() -> assertThat(queue.entry(elsewhere)).isEmpty());
        assertThat(sink.received()).anySatisfy(received -> assertThat(received.content())
                .contains("Subject: elsewhere while stalled"));
        for (String id : stalledIds) {
            await().untilAsserted(() -> assertThat(queue.entry(id).orElseThrow().attempts()).isOne());
            QueueEntry entry = queue.entry(id).orElseThrow();
            assertThat(entry.recipients()).extracting(RecipientState::status).containsOnly(RecipientState.Status.DEFERRED);
            assertThat(entry.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("4.4.2 timed out: the message content was not taken within 20 s (data deadline)"));
        }
    }

    private void strategy(String name, int port) throws Exception {
        createFactoryConfiguration("org.mailslot.port", name, Map.of("port", port, "role", "relay", "tls.mode", "none",
                "auth.policy", "none"));
    }

    private String submit(MailSubmission spool, String recipient, String subject, int size) throws Exception {
        StringBuilder message = new StringBuilder("From: ops@example.net\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (message.length() < size) {
            message.append(line);
        }
        String id = spool.submit(Envelope.builder().from("ops@example.net").to(recipient).build(),
                new ByteArrayInputStream(message.toString().getBytes(StandardCharsets.US_ASCII))).id();
        submitted.add(id);
        return id;
    }

    private static long messagesWithSubject(Path maildir, String subject) throws Exception {
        try (var files = Files.list(maildir)) {
            return files.filter(file -> {
                try {
                    return Files.readString(file, StandardCharsets.US_ASCII).contains("Subject: " + subject);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
