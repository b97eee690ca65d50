package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.transport.MailTransport;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Parts of a running Mailslot are stopped, replaced and added while clients keep submitting over
 * the submission listener (STARTTLS, AUTH), half the mail for local Maildirs and half for a
 * smarthost: the transport bundle is updated, the relay's ports and the listener's port change
 * through Config Admin, and the example bundle is uninstalled and dropped back in through
 * {@code deploy/}. Afterwards every message the listener acknowledged has arrived exactly once,
 * and the listener answered every client that reached it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class HotSwapIT extends LoadTestSupport {

    private static final String RELAY_DOMAIN = "relay.test";
    private static final String EXAMPLE_BUNDLE = "com.example.mailslot.footerfiling";
    private static final String EXAMPLE_FEATURE = "mailslot-example-footer-filing";
    private static final String FOOTER_MARKER = "X-Example-Footer: added";
    private static final String LISTENER_MOVE = "listener move";
    private static final String TRANSPORT_UPDATE = "transport update";

    private RelaySink sink;
    private SubmissionLoad load;
    private Path droppedExample;

    @After
    public void putThingsBack() throws Exception {
        if (load != null) {
            load.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (droppedExample != null) {
            Files.deleteIfExists(droppedExample);
            await().until(() -> bundle(EXAMPLE_BUNDLE).isEmpty());
        }
        uninstallExampleFeature();
        deleteCreatedConfigurations();
        moveListener(submissionPort());
    }

    @Test
    public void everyAcknowledgedMessageArrivesOnceWhilePartsAreSwapped() throws Exception {
        sink = new RelaySink();
        createFactoryConfiguration("org.mailslot.port", "hotswap-sink-a", sinkStrategy(sink.firstPort()));
        createFactoryConfiguration("org.mailslot.port", "hotswap-sink-b", sinkStrategy(sink.secondPort()));
        org.osgi.service.cm.Configuration relay = createFactoryConfiguration("org.mailslot.relay", "hotswap", Map.of(
                "host", "127.0.0.1", "ports", String.valueOf(sink.firstPort()), "domains", RELAY_DOMAIN,
                "idle.timeout", 0));
        installExampleFeature();
        int firstPort = freePort();
        moveListener(firstPort);

        load = new SubmissionLoad("hotswap", firstPort, TEST_USER, TEST_PASSWORD,
                n -> n % 2 == 0 ? "load" + (n % 5) + "@localhost" : "load" + (n % 5) + "@" + RELAY_DOMAIN);
        load.start(3);
        awaitMoreAcknowledged(load, 20);
        await().until(() -> sink.receivedOn(sink.firstPort()) > 0);

        // 1. A new revision of the transport bundle, under load.
        Bundle transport = bundle("org.mailslot.transport").orElseThrow();
        long relayedBefore = sink.received().size();
        load.swapping(TRANSPORT_UPDATE);
        transport.update();
        await().until(() -> transport.getState() == Bundle.ACTIVE && service(MailTransport.class).isPresent());
        awaitListenerBound(firstPort);
        load.swapped();
        awaitMoreAcknowledged(load, 20);
        await().until(() -> sink.received().size() > relayedBefore);

        // 2. The relay moves to the smarthost's other port.
        Dictionary<String, Object> relayProperties = relay.getProperties();
        relayProperties.put("ports", String.valueOf(sink.secondPort()));
        relay.update(relayProperties);
        await().until(() -> sink.receivedOn(sink.secondPort()) > 0);

        // 3. The listener moves; the clients follow once it is bound on the new port.
        int secondPort = freePort();
        load.swapping(LISTENER_MOVE);
        moveListener(secondPort);
        load.follow(secondPort);
        load.swapped();
        awaitMoreAcknowledged(load, 20);
        assertThat(load.acknowledged()).anyMatch(message -> message.port() == secondPort);

        // 4. The example bundle is uninstalled (bundle:uninstall) and comes back by being dropped into deploy/.
        bundle(EXAMPLE_BUNDLE).orElseThrow().uninstall();
        await().until(() -> bundle(EXAMPLE_BUNDLE).isEmpty() && footerProcessor().isEmpty());
        awaitMoreAcknowledged(load, 10);
        droppedExample = dropExampleIntoDeploy();
        await().until(() -> footerProcessor().isPresent());
        int afterReturn = load.acknowledged().size();
        awaitMoreAcknowledged(load, 20);

        load.close();
        List<SubmissionLoad.Acknowledged> acknowledged = load.acknowledged();
        service(MailQueue.class).orElseThrow().flush();
        await().atMost(java.time.Duration.ofSeconds(90)).untilAsserted(() -> {
            List<SubmissionLoad.Acknowledged> missing = notYetDelivered(acknowledged);
            assertThat(missing).as(() -> "spool: " + service(MailQueue.class).map(MailQueue::list).orElseThrow()
                    + "; what the log says of them: " + logLinesAbout(missing.stream().map(SubmissionLoad.Acknowledged::spoolId)
                            .toList())).isEmpty();
        });

        Map<String, Long> copies = deliveredCopies();
        assertThat(acknowledged).hasSizeGreaterThan(100);
        assertThat(acknowledged).allSatisfy(message ->
                assertThat(copies.getOrDefault(message.messageId(), 0L)).as(message.toString()).isEqualTo(1L));
        // While mailslot-transport is updated the listener has no strategy and answers 421; only its own move
        // may leave a connection unanswered (the old port closes).
        assertThat(load.unanswered()).as("sessions that got no answer outside the listener's move; replies: "
                + load.replyCounts())
                .filteredOn(unanswered -> !LISTENER_MOVE.equals(unanswered.during()))
                .isEmpty();
        assertThat(footersOn(acknowledged.subList(afterReturn, acknowledged.size())))
                .as("mail accepted after the example came back through deploy/ has its footer").isPositive();
    }

    /**
     * The listener takes its port strategy from mailslot-transport; while that bundle is updated the
     * strategy is gone and the listener, still bound, answers 421 so that clients come back.
     */
    @Test
    public void listenerAnswersWhileTheTransportIsUpdated() throws Exception {
        int port = freePort();
        moveListener(port);
        load = new SubmissionLoad("transport-update", port, TEST_USER, TEST_PASSWORD, n -> "load" + (n % 5) + "@localhost");
        load.start(2);
        awaitMoreAcknowledged(load, 10);

        Bundle transport = bundle("org.mailslot.transport").orElseThrow();
        transport.update();
        await().until(() -> transport.getState() == Bundle.ACTIVE && service(MailTransport.class).isPresent());
        awaitListenerBound(port);
        awaitMoreAcknowledged(load, 10);
        load.close();

        assertThat(load.unanswered()).as("replies: " + load.replyCounts()).isEmpty();
    }

    private static Map<String, Object> sinkStrategy(int port) {
        return Map.of("port", port, "role", "relay", "tls.mode", "none", "auth.policy", "none");
    }

    /** As feature:repo-add and feature:install do (the shell's ACL keeps those commands for admins). */
    private void installExampleFeature() throws Exception {
        FeaturesService features = await().until(() -> service(FeaturesService.class).orElse(null), found -> found != null);
        String version = System.getProperty(VERSION_PROPERTY);
        features.addRepository(URI.create("mvn:org.mailslot.examples/mailslot-example-features/" + version + "/xml/features"));
        features.installFeature(EXAMPLE_FEATURE);
        await().until(() -> footerProcessor().isPresent());
    }

    /** As feature:uninstall does, if the feature is installed. */
    private void uninstallExampleFeature() throws Exception {
        Optional<FeaturesService> features = service(FeaturesService.class);
        if (features.isPresent()) {
            for (org.apache.karaf.features.Feature feature : features.get().listInstalledFeatures()) {
                if (feature.getName().equals(EXAMPLE_FEATURE)) {
                    features.get().uninstallFeature(feature.getName(), feature.getVersion());
                }
            }
        }
    }

    /** As an operator would: the jar, copied into deploy/, where Karaf's deployer picks it up. */
    private Path dropExampleIntoDeploy() throws IOException {
        String version = System.getProperty(VERSION_PROPERTY);
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        Files.createDirectories(deploy);
        Path jar = deploy.resolve("mailslot-example-footer-filing-" + version + ".jar");
        Path partial = deploy.resolve(jar.getFileName() + ".part");
        try (InputStream in = new URL("mvn:org.mailslot.examples/mailslot-example-footer-filing/" + version).openStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the acknowledged messages that have not arrived yet */
    private List<SubmissionLoad.Acknowledged> notYetDelivered(List<SubmissionLoad.Acknowledged> acknowledged)
            throws IOException {
        Set<String> delivered = deliveredCopies().keySet();
        return acknowledged.stream().filter(message -> !delivered.contains(message.messageId())).toList();
    }

    /** @return how many copies of each Message-ID reached a local Maildir or the smarthost */
    private Map<String, Long> deliveredCopies() throws IOException {
        List<String> ids = new java.util.ArrayList<>();
        DeliveredMessages.under(mailboxes()).forEach(message -> ids.add(message.messageId()));
        sink.received().forEach(message -> ids.add(message.messageId()));
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private long footersOn(Collection<SubmissionLoad.Acknowledged> messages) throws IOException {
        Set<String> wanted = messages.stream().map(SubmissionLoad.Acknowledged::messageId).collect(Collectors.toCollection(HashSet::new));
        long local = DeliveredMessages.under(mailboxes()).stream()
                .filter(m -> wanted.contains(m.messageId()) && m.content().contains(FOOTER_MARKER)).count();
        long relayed = sink.received().stream()
                .filter(m -> wanted.contains(m.messageId()) && m.content().contains(FOOTER_MARKER)).count();
        return local + relayed;
    }

    private Optional<ServiceReference<MessageProcessor>> footerProcessor() throws Exception {
        return bundleContext.getServiceReferences(MessageProcessor.class, "(" + MessageProcessor.NAME + "=example-footer)")
                .stream().findFirst();
    }
}
