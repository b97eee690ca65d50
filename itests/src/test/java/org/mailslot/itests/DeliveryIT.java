package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.testing.peers.DovecotPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.TestCa;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Delivery from inside Karaf: Angus Mail (found through SPI Fly) in the transport bundle, a relay
 * route configured through Config Admin, and a real Postfix from Debian on 127.0.0.2 with SASL from
 * Dovecot on 127.0.0.3, both started from inside the container (the peer classes travel in the test
 * probe). The route verifies Postfix's certificate against a test CA that the TLS service is told
 * to trust, as an operator would with {@code trust.pem}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DeliveryIT extends MailslotTestSupport {

    private static final String HOST = PostfixPeer.DEFAULT_ADDRESS;
    private static final String TLS_PID = "org.mailslot.tls";
    private static final String SECRET_REFERENCE = "$[secret:mailslot/secrets/delivery-it-relay]";

    private DovecotPeer dovecot;
    private PostfixPeer postfix;
    private Configuration tlsConfiguration;
    private Dictionary<String, Object> tlsBefore;

    @Before
    public void startPeersAndConfigureTheRoute() throws Exception {
        TestCa ca = TestCa.create();
        Path caPem = ca.writeCertificatePem(Path.of(System.getProperty("karaf.data"), "delivery-it-ca.pem"));
        dovecot = DovecotPeer.builder().authOnly().user("relayuser", "relay-pass").start();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(HOST, "mx.example.test")).sasl(dovecot)
                .closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE).start();

        tlsConfiguration = configurationAdmin.getConfiguration(TLS_PID, "?");
        tlsBefore = tlsConfiguration.getProperties();
        Dictionary<String, Object> tls = new Hashtable<>();
        if (tlsBefore != null) {
            for (String key : java.util.Collections.list(tlsBefore.keys())) {
                tls.put(key, tlsBefore.get(key));
            }
        }
        tls.put("trust.pem", caPem.toString());
        tlsConfiguration.update(tls);

        // The password as the README advises: a reference to a file of its own, which config:list shows instead.
        Path secret = Path.of(System.getProperty("karaf.etc"), "mailslot", "secrets", "delivery-it-relay");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "relay-pass\n");
        createFactoryConfiguration("org.mailslot.relay", "smarthost", Map.of(
                "host", HOST,
                "ports", new String[] {"587"},
                "username", "relayuser",
                "password", SECRET_REFERENCE,
                "domains", new String[] {"example.test"},
                "tls.verify", true,
                "ehlo.name", "client.test"));

        // What an operator would check before sending: the route exists and Postfix's certificate verifies.
        await().until(() -> transport().route("smarthost").isPresent());
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:probe " + HOST + " --ports 587"))
                .containsPattern("verified\\s+yes"));
    }

    @After
    public void restoreAndStopPeers() throws Exception {
        deleteCreatedConfigurations();
        if (tlsConfiguration != null) {
            if (tlsBefore == null) {
                tlsConfiguration.delete();
            } else {
                tlsConfiguration.update(tlsBefore);
            }
        }
        if (postfix != null) {
            postfix.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    public void sendDirectOverTheRelayRouteArrivesInPostfixOverTlsWithAuth() {
        String output = executeCommand("mailslot:send --direct --relay smarthost --from sender@client.test"
                + " --to bob@example.test --subject \"direct from Karaf\" --body \"Hello from inside OSGi.\"");

        assertThat(output).contains("bob@example.test").contains("accepted").contains("smarthost")
                .contains(HOST + ":587").containsPattern("TLSv1\\.[23]");
        assertThat(messageWithSubject("direct from Karaf")).contains("Hello from inside OSGi.");
        await().untilAsserted(() -> {
            assertThat(postfix.tlsConnections(587)).isNotEmpty();
            assertThat(postfix.saslLogins(587)).anySatisfy(line -> assertThat(line).contains("sasl_username=relayuser"));
        });
    }

    @Test
    public void theShellNeverShowsTheRelayPassword() throws Exception {
        String listed = executeCommand("config:list \"(service.factoryPid=org.mailslot.relay)\"");

        assertThat(listed).contains("username = relayuser").contains("password = ********").doesNotContain("relay-pass");
        // What Config Admin stores (and File Install writes to etc/) is the reference alone.
        assertThat(configurationAdmin.listConfigurations("(service.factoryPid=org.mailslot.relay)")[0].getProperties()
                .get("password")).isEqualTo(SECRET_REFERENCE);
        assertThat(status()).doesNotContain("relay-pass");
    }

    @Test
    public void aSpooledMessageIsDeliveredOverTheRouteForItsDomain() {
        String output = executeCommand("mailslot:send --from sender@client.test --to carol@example.test"
                + " --subject \"through the spool\" --body \"Queued first.\"");

        assertThat(output).contains("Queued");
        assertThat(messageWithSubject("through the spool")).contains("Queued first.");
        await().untilAsserted(() -> {
            assertThat(postfix.tlsConnections(587)).isNotEmpty();
            assertThat(postfix.saslLogins(587)).anySatisfy(line -> assertThat(line).contains("sasl_username=relayuser"));
        });
    }

    private MailTransport transport() {
        ServiceTracker<MailTransport, MailTransport> tracker = new ServiceTracker<>(bundleContext, MailTransport.class, null);
        tracker.open();
        try {
            return tracker.getService();
        } finally {
            tracker.close();
        }
    }

    /** @return the message with the subject, once it is in Postfix's mailbox */
    private String messageWithSubject(String subject) {
        return await().until(() -> postfix.messages().stream().map(DeliveryIT::read)
                .filter(message -> message.contains("Subject: " + subject)).findFirst().orElse(null),
                message -> message != null);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
