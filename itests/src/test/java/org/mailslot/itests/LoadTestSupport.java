package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.transport.MailTransport;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** What the tests that keep a submission load running while they swap parts share. */
abstract class LoadTestSupport extends MailslotTestSupport {

    /** Moves the shipped submission listener through Config Admin and waits until it is bound there. */
    protected void moveListener(int port) throws Exception {
        org.osgi.service.cm.Configuration listener = await().until(this::shippedListenerConfiguration, found -> found != null);
        Dictionary<String, Object> properties = listener.getProperties();
        if (!String.valueOf(port).equals(String.valueOf(properties.get("port")))) {
            properties.put("port", String.valueOf(port));
            listener.update(properties);
        }
        awaitListenerBound(port);
    }

    /** Waits until mailslot:listeners shows the submission listener bound on that port. */
    protected void awaitListenerBound(int port) {
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("submission.*127.0.0.1:" + port + ".*(?i)bound"));
    }

    /** The configuration that etc/org.mailslot.listener-submission.cfg became. */
    private org.osgi.service.cm.Configuration shippedListenerConfiguration() throws Exception {
        org.osgi.service.cm.Configuration[] all =
                configurationAdmin.listConfigurations("(service.factoryPid=org.mailslot.listener)");
        return all == null ? null : Arrays.stream(all)
                .filter(configuration -> String.valueOf(configuration.getProperties().get("felix.fileinstall.filename"))
                        .endsWith("org.mailslot.listener-submission.cfg"))
                .findFirst().orElse(all[0]);
    }

    /** Waits until the listener has acknowledged this many more messages. */
    protected static void awaitMoreAcknowledged(SubmissionLoad load, int more) {
        int target = load.acknowledged().size() + more;
        await().until(() -> load.acknowledged().size() >= target);
    }

    protected Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    protected <T> Optional<T> service(Class<T> type) {
        ServiceReference<T> reference = bundleContext.getServiceReference(type);
        return reference == null ? Optional.empty() : Optional.ofNullable(bundleContext.getService(reference));
    }

    protected <T> Optional<T> service(Class<T> type, String filter) throws Exception {
        return bundleContext.getServiceReferences(type, filter).stream().findFirst().map(bundleContext::getService);
    }

    /**
     * Queues a message to a domain whose relay refuses connections (a closed loopback port) and waits
     * until its first attempt failed: a message that stays in the queue for the operator's commands.
     *
     * @param name the name of the relay's and the port's configurations
     * @return the message's queue id
     */
    protected String waitingMessage(String name, String domain, String subject) throws Exception {
        int closed = freePort();
        createFactoryConfiguration("org.mailslot.port", name, Map.of("port", closed, "role", "relay",
                "tls.mode", "none", "auth.policy", "none"));
        createFactoryConfiguration("org.mailslot.relay", name, Map.of("host", "127.0.0.1",
                "ports", String.valueOf(closed), "domains", domain));
        await().until(() -> service(MailTransport.class).flatMap(t -> t.route(name)).isPresent()
                && service(PortStrategy.class, "(mailslot.port=" + closed + ")").isPresent());
        String sent = executeCommand("mailslot:send --from ops@localhost --to someone@" + domain
                + " --subject '" + subject + "' --body 'held up'");
        Matcher queued = Pattern.compile("mailslot:queue (\\S+)").matcher(sent);
        assertThat(queued.find()).as(sent).isTrue();
        String id = queued.group(1);
        MailQueue queue = service(MailQueue.class).orElseThrow();
        await().untilAsserted(() -> assertThat(queue.entry(id).orElseThrow().attempts()).isPositive());
        return id;
    }

    /** @return the lines of the mail log and Karaf's log that name any of these (spool ids, say), for a failure's message */
    protected static List<String> logLinesAbout(Collection<String> words) {
        List<String> found = new java.util.ArrayList<>();
        for (String name : List.of("mail.log", "karaf.log")) {
            Path log = Path.of(System.getProperty("karaf.data"), "log", name);
            try (var lines = Files.lines(log)) {
                lines.filter(line -> words.stream().anyMatch(line::contains)).limit(50).forEach(found::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                found.add("(could not read " + log + ": " + e + ")");
            }
        }
        return found;
    }

    /** Where the spool delivers mail for local domains: one Maildir per address. */
    protected static Path mailboxes() {
        return Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes");
    }

    protected static int submissionPort() {
        return Integer.parseInt(System.getProperty(SUBMISSION_PORT_PROPERTY));
    }
}
