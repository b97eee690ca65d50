package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeys;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.ToolRun;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.util.tracker.ServiceTracker;

/**
 * DKIM against the distribution: keys made with mailslot:dkim-keygen sign mail at once, the
 * dkim-sign stage shows in mailslot:status after the crypto policy, and a message relayed to a
 * sink verifies with python3-dkim against the records the command printed, published in dnsmasq.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DkimIT extends MailslotTestSupport {

    private static final String DOMAIN = "signer.test";
    private static final String PARTNER = "partner.test";

    private RelaySink sink;

    @Before
    public void routeToASink() throws Exception {
        sink = new RelaySink();
        createFactoryConfiguration("org.mailslot.port", "dkim-sink", Map.of("port", sink.firstPort(), "role", "relay",
                "tls.mode", "none", "auth.policy", "none"));
        createFactoryConfiguration("org.mailslot.relay", "dkim-sink", Map.of("host", "127.0.0.1",
                "ports", String.valueOf(sink.firstPort()), "domains", PARTNER, "idle.timeout", 0));
        // The shell's commands and the DKIM services come up with the container, not before the test.
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:dkim-keys")).contains("Domain"));
        await().untilAsserted(() -> assertThat(status()).contains("dkim-sign"));
    }

    @After
    public void removeRoute() throws Exception {
        deleteCreatedConfigurations();
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    public void keygenStartsDualSigningAndTheRelayedMessageVerifiesWithDkimpy() throws Exception {
        String rsaOutput = executeCommand("mailslot:dkim-keygen " + DOMAIN + " rsa2026");
        String edOutput = executeCommand("mailslot:dkim-keygen --type ed25519 " + DOMAIN + " ed2026");
        assertThat(rsaOutput).contains("rsa2026._domainkey." + DOMAIN + ". IN TXT \"v=DKIM1; k=rsa; p=");
        assertThat(edOutput).contains("ed2026._domainkey." + DOMAIN + ". IN TXT \"v=DKIM1; k=ed25519; p=");

        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path edKey = etc.resolve("mailslot/dkim/" + DOMAIN + "-ed2026.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(edKey))).isEqualTo("rw-------");
        await().untilAsserted(() -> assertThat(etc.resolve("org.mailslot.dkim-" + DOMAIN + "-ed2026.cfg")).exists());
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:dkim-keys"))
                .containsPattern(DOMAIN + "\\s*\\|\\s*ed2026\\s*\\|\\s*ed25519-sha256.*signing")
                .containsPattern(DOMAIN + "\\s*\\|\\s*rsa2026\\s*\\|\\s*rsa-sha256.*signing"));

        String status = status();
        assertThat(status).containsPattern("crypto-policy\\s*\\|\\s*-1000");
        assertThat(status.indexOf("crypto-policy")).isLessThan(status.indexOf("dkim-sign"));

        executeCommand("mailslot:send --from alice@" + DOMAIN + " --to bob@" + PARTNER
                + " --subject \"signed twice\" --body \"Hello from a signing Mailslot.\"");
        await().until(() -> !sink.received().isEmpty());
        String relayed = sink.received().get(0).content();
        assertThat(relayed).contains("a=ed25519-sha256").contains("a=rsa-sha256");

        DnsmasqPeer.Builder zone = DnsmasqPeer.builder().localDomain("test");
        for (DkimKey key : dkimKeys().keys()) {
            zone.option(Dkimpy.txtRecordOption(key.dnsName(), key.dnsRecord()));
        }
        try (DnsmasqPeer dns = zone.start()) {
            ToolRun run = Dkimpy.verify(dns.resolver(), relayed.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(run.succeeded()).as(run.stdoutText() + run.stderr()).isTrue();
            assertThat(run.stdoutText()).contains("ed25519-sha256 s=ed2026: pass").contains("rsa-sha256 s=rsa2026: pass");

            // What dkim-check compares is what is published there: resolver of org.mailslot.mx.
            setConfiguration("org.mailslot.mx", Map.of("resolver", dns.resolver()));
            try {
                await().untilAsserted(() -> assertThat(executeCommand("mailslot:dkim-check " + DOMAIN + " ed2026"))
                        .contains("ed2026._domainkey." + DOMAIN + ": matches"));
                assertThat(executeCommandExpectingFailure("mailslot:dkim-check " + DOMAIN + " nosuch"))
                        .contains("no DKIM key is configured for nosuch._domainkey." + DOMAIN);
            } finally {
                restoreConfigurations();
            }
        }
    }

    @Test
    public void mailForADomainWhoseKeyFileIsGoneWaitsWithTheReason() throws Exception {
        createFactoryConfiguration("org.mailslot.dkim", "lost", Map.of("domain", "lost.test", "selector", "s1"));
        String queued = executeCommand("mailslot:send --from carol@lost.test --to bob@" + PARTNER
                + " --subject \"no key\" --body \"Held.\"");
        assertThat(queued).contains("Queued");
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:queue"))
                .contains("DKIM key s1._domainkey.lost.test cannot be used: key file"));
        assertThat(sink.received()).noneMatch(received -> received.content().contains("Subject: no key"));

        // The operator accepts unsigned mail for now: the documented property lets it go.
        org.osgi.service.cm.Configuration signing = configurationAdmin.getConfiguration("org.mailslot.dkim.signing", "?");
        signing.update(new java.util.Hashtable<>(Map.of("missing.key", "unsigned")));
        try {
            await().untilAsserted(() -> {
                executeCommand("mailslot:queue-flush");
                assertThat(sink.received()).anySatisfy(received -> assertThat(received.content())
                        .contains("Subject: no key").doesNotContain("DKIM-Signature"));
            });
        } finally {
            signing.delete();
        }
    }

    private DkimKeys dkimKeys() {
        ServiceTracker<DkimKeys, DkimKeys> tracker = new ServiceTracker<>(bundleContext, DkimKeys.class, null);
        tracker.open();
        try {
            return Optional.ofNullable(tracker.getService()).orElseThrow();
        } finally {
            tracker.close();
        }
    }
}
