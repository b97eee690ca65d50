package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.testing.peers.ArtemisPeer;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.Configuration;

/**
 * The Artemis queue store in the distribution: its core client runs on the container's netty 4.2,
 * beside the SMTP listeners, and keeps mail on a real Artemis 2.40.0 broker; the listener answers 451
 * while the broker is away and takes mail again when it is back; the queue commands act on the broker's
 * queue.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ArtemisQueueIT extends LoadTestSupport {

    private static final String WAITING_DOMAIN = "waiting.example";

    @After
    public void backOnTheFileStore() throws Exception {
        Configuration queue = configurationAdmin.getConfiguration("org.mailslot.queue", "?");
        if (queue.getProperties() != null) {
            queue.delete();
        }
        deleteCreatedConfigurations();
        await().until(() -> service(QueueStore.class, "(mailslot.queue.store=artemis)").isEmpty());
    }

    /** Puts the queue on the broker (which need not run) and waits for the store. */
    private QueueStore queueOn(ArtemisPeer broker) throws Exception {
        Configuration queue = configurationAdmin.getConfiguration("org.mailslot.queue", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("store", "artemis");
        properties.put("artemis.url", broker.url());
        properties.put("artemis.user", broker.user());
        properties.put("artemis.password", broker.password());
        queue.update(properties);
        try {
            return await().until(() -> service(QueueStore.class, "(mailslot.queue.store=artemis)").orElse(null),
                    found -> found != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no Artemis QueueStore; mailslot:status:\n" + executeCommand("mailslot:status")
                    + "\nlog:\n" + String.join("\n", logLinesAbout(List.of("artemis", "Artemis", "activemq"))), e);
        }
    }

    @Test
    public void theStoreKeepsMailOnARealBrokerWhileTheListenersRunOnTheSameNetty() throws Exception {
        moveListener(submissionPort());
        try (ArtemisPeer broker = ArtemisPeer.builder().start()) {
            QueueStore store = queueOn(broker);
            byte[] message = "Subject: over the broker\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
            try (MessageWriter writer = store.begin(Envelope.builder().from(MailAddress.parse("alice@localhost"))
                    .to(Recipient.of("bob@example.test")).build())) {
                writer.write(message, 0, message.length);
                assertThat(writer.commit().size()).isEqualTo(message.length);
            }

            // The spool is on the store now and its scheduler takes the message at once: what shows that the
            // broker keeps the mail is the listener below, refused while the broker is down.
            assertThat(greeting(submissionPort())).startsWith("220 ");
            assertThat(nettyProviders()).as("the bundles the store's client takes netty from")
                    .isNotEmpty().allSatisfy(version -> assertThat(version).startsWith("4.2."));
            assertThat(Arrays.stream(bundleContext.getBundles()).filter(b -> b.getSymbolicName().startsWith("io.netty"))
                    .map(b -> b.getVersion().toString())).as("netty bundles in the container")
                    .allSatisfy(version -> assertThat(version).startsWith("4.2."));
        }
    }

    @Test
    public void theListenerAnswers451WhileTheBrokerIsDownAtStartOrMidRunAndDeliversOnceItIsBack() throws Exception {
        moveListener(submissionPort());
        try (ArtemisPeer broker = ArtemisPeer.builder().create()) {
            queueOn(broker);
            refusedWhileDown("artemis-down-at-start");
            broker.start();
            acceptedAndDelivered("artemis-up");

            broker.kill();
            refusedWhileDown("artemis-killed");
            assertThat(executeCommandExpectingFailure("mailslot:queue")).as("the operator is told why")
                    .contains("cannot list the queue on the queue broker");
            assertThat(executeCommandExpectingFailure("mailslot:status")).as("and the status")
                    .contains("Mailslot is not healthy: ").contains("the queue cannot be read: cannot list the queue");
            broker.start();
            acceptedAndDelivered("artemis-back");
        }
    }

    /** Every message is answered 451, none 250, and no session waits 20 s for its answer. */
    private void refusedWhileDown(String tag) throws Exception {
        try (SubmissionLoad load = new SubmissionLoad(tag, submissionPort(), TEST_USER, TEST_PASSWORD,
                n -> "load" + n + "@localhost")) {
            load.start(2);
            await().until(() -> load.replyCounts().getOrDefault("451", 0) >= 4);
            load.close();
            assertThat(load.acknowledged()).as("answered 250 while the broker was down").isEmpty();
            assertThat(load.unanswered()).as("sessions left without an answer for 20 s").isEmpty();
            assertThat(load.replyCounts().keySet()).containsOnly("451");
        }
    }

    /** Mail is answered 250 once the broker holds it, and delivered from there. */
    private void acceptedAndDelivered(String tag) throws Exception {
        try (SubmissionLoad load = new SubmissionLoad(tag, submissionPort(), TEST_USER, TEST_PASSWORD,
                n -> "load" + n + "@localhost")) {
            load.start(1);
            await().until(() -> load.acknowledged().size() >= 3);
            load.close();
            for (SubmissionLoad.Acknowledged acknowledged : load.acknowledged()) {
                await().until(() -> delivered(acknowledged.messageId()));
            }
        }
    }

    @Test
    public void theQueueCommandsActOnTheBrokersQueueAsOnTheFileStore() throws Exception {
        try (ArtemisPeer broker = ArtemisPeer.builder().start()) {
            queueOn(broker);
            String id = waitingMessage("artemis-closed", WAITING_DOMAIN, "over the broker");
            MailQueue queue = service(MailQueue.class).orElseThrow();

            assertThat(executeCommand("mailslot:queue")).contains(id).contains("someone@" + WAITING_DOMAIN);
            assertThat(executeCommand("mailslot:queue-show --body " + id)).contains("Message " + id)
                    .contains("someone@" + WAITING_DOMAIN).contains("Subject: over the broker").contains("held up");

            awaitBetweenAttempts(queue, id);
            assertThat(executeCommand("mailslot:queue-hold " + id)).contains("Held " + id);
            assertThat(queue.entry(id).orElseThrow().held()).isTrue();
            assertThat(executeCommand("mailslot:queue --held")).contains(id);
            assertThat(executeCommand("mailslot:queue-show " + id)).contains("held").contains("Subject: over the broker");
            int attempts = queue.entry(id).orElseThrow().attempts();

            assertThat(executeCommand("mailslot:queue-release " + id)).contains("Released " + id);
            await().until(() -> queue.entry(id).orElseThrow().attempts() > attempts);
            awaitBetweenAttempts(queue, id);
            int released = queue.entry(id).orElseThrow().attempts();
            assertThat(executeCommand("mailslot:queue-flush")).contains("Flushed 1 message");
            await().until(() -> queue.entry(id).orElseThrow().attempts() > released);

            awaitBetweenAttempts(queue, id);
            assertThat(executeCommand("mailslot:queue-delete " + id)).contains("Deleted " + id);
            assertThat(executeCommand("mailslot:queue")).doesNotContain(id);
            assertThat(broker.messageCount("mailslot.queue")).contains(0L);
            assertThat(executeCommandExpectingFailure("mailslot:queue-hold " + id)).contains("No message " + id);
        }
    }

    /** Waits until no node is attempting the message: an operator's action takes it from the broker's queue. */
    private static void awaitBetweenAttempts(MailQueue queue, String id) {
        await().until(() -> queue.entry(id).orElseThrow().nextAttempt().isPresent()
                || queue.entry(id).orElseThrow().held());
    }

    private static boolean delivered(String messageId) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(mailboxes())) {
            return files.filter(java.nio.file.Files::isRegularFile).anyMatch(file -> {
                try {
                    return java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1).contains(messageId);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    private List<String> nettyProviders() {
        Bundle store = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.mailslot.queue-artemis".equals(b.getSymbolicName())).findFirst().orElseThrow();
        return store.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> String.valueOf(wire.getCapability().getAttributes().get("osgi.wiring.package"))
                        .startsWith("io.netty"))
                .map(BundleWire::getProvider).map(provider -> provider.getBundle().getVersion().toString())
                .distinct().toList();
    }

    private static String greeting(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII))) {
            return in.readLine();
        }
    }
}
