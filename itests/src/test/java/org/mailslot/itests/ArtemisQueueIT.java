package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.testing.peers.ArtemisPeer;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.Configuration;

/**
 * The Artemis queue store in the distribution: its core client runs on the container's netty 4.2,
 * beside the SMTP listeners, and keeps mail on a real Artemis 2.40.0 broker.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ArtemisQueueIT extends LoadTestSupport {

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        // ArtemisPeer finds the broker's distribution in the build's local repository.
        return OptionUtils.combine(super.config(),
                systemProperty("maven.repo.local").value(System.getProperty("maven.repo.local")));
    }

    @Test
    public void theStoreKeepsMailOnARealBrokerWhileTheListenersRunOnTheSameNetty() throws Exception {
        moveListener(submissionPort());
        Configuration queue = configurationAdmin.getConfiguration("org.mailslot.queue", "?");
        try (ArtemisPeer broker = ArtemisPeer.builder().start()) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("store", "artemis");
            properties.put("artemis.url", broker.url());
            properties.put("artemis.user", broker.user());
            properties.put("artemis.password", broker.password());
            queue.update(properties);

            QueueStore store;
            try {
                store = await().until(() -> service(QueueStore.class, "(mailslot.queue.store=artemis)").orElse(null),
                        found -> found != null);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no Artemis QueueStore; mailslot:status:\n" + executeCommand("mailslot:status")
                        + "\nlog:\n" + String.join("\n", logLinesAbout(List.of("artemis", "Artemis", "activemq"))), e);
            }
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

            // Not yet here: the listener answering 451 while the broker is down. In the distribution no
            // 451 came within a minute (the client's reconnection holds the commit); ArtemisQueueStoreIT
            // shows the store itself refusing while the broker is down.
        } finally {
            queue.delete();
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
