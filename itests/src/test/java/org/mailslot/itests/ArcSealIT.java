package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeys;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.ToolRun;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.util.tracker.ServiceTracker;

/**
 * ARC sealing against the distribution: a 25-type listener takes mail for a domain it relays to a
 * sink (a gateway), checks the sender (SPF in a dnsmasq zone), and forwards it. Without
 * {@code org.mailslot.dkim.arc} the forwarded mail carries no ARC field; with it (an RSA key made by
 * dkim-keygen) it carries a set that python3-dkim's arc_verify passes, its results Mailslot's.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ArcSealIT extends MailslotTestSupport {

    private static final String AUTHSERV_ID = "mx.arcseal.test";
    private static final String FORWARDED_DOMAIN = "inner.test";
    private static final String SEALER = "arcseal.test";

    private DnsmasqPeer dns;
    private RelaySink sink;
    private int port;

    @Before
    public void gateway() throws Exception {
        dns = DnsmasqPeer.builder().localDomain("test")
                .option(Dkimpy.txtRecordOption("sender.test", "v=spf1 ip4:127.0.0.0/8 -all"))
                .option(Dkimpy.txtRecordOption("_dmarc.sender.test", "v=DMARC1; p=reject")).start();
        setConfiguration("org.mailslot.mx", Map.of("resolver", dns.resolver(), "dns.timeout", "2"));
        setConfiguration("org.mailslot.auth", Map.of("authserv.id", AUTHSERV_ID));
        await().untilAsserted(() -> {
            SenderAuthentication probe = service(SenderAuthenticator.class).authenticate(
                    Optional.of(InetAddress.getByName("127.0.0.1")), "probe.test", "probe@sender.test",
                    MessageSource.of("From: probe@sender.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(probe.authservId()).isEqualTo(AUTHSERV_ID);
            assertThat(probe.dmarc().result()).isEqualTo(DmarcResult.PASS);
        });

        sink = new RelaySink();
        createFactoryConfiguration("org.mailslot.port", "arc-sink", Map.of("port", sink.firstPort(), "role", "relay",
                "tls.mode", "none", "auth.policy", "none"));
        createFactoryConfiguration("org.mailslot.relay", "arc-sink", Map.of("host", "127.0.0.1",
                "ports", String.valueOf(sink.firstPort()), "domains", FORWARDED_DOMAIN, "idle.timeout", 0));
        port = freePort();
        createFactoryConfiguration("org.mailslot.listener", "arc-gateway", new HashMap<>(Map.of("address", "127.0.0.1",
                "port", port, "strategy", 25, "local.domains", FORWARDED_DOMAIN)));
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("arc-gateway.*127.0.0.1:" + port + ".*(?i)bound"));
        await().untilAsserted(() -> assertThat(status()).contains("arc-seal"));
    }

    @After
    public void restore() throws Exception {
        configurationAdmin.getConfiguration("org.mailslot.dkim.arc", "?").delete();
        deleteCreatedConfigurations();
        restoreConfigurations();
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    public void offByDefaultForwardedMailCarriesNoArcSet() throws Exception {
        String relayed = forward("not sealed");
        assertThat(relayed).contains("Authentication-Results: " + AUTHSERV_ID + ";").contains("dmarc=pass")
                .doesNotContain("ARC-Seal").doesNotContain("ARC-Message-Signature")
                .doesNotContain("ARC-Authentication-Results");
    }

    @Test
    public void configuredItSealsAndDkimpyPassesTheChain() throws Exception {
        assertThat(executeCommand("mailslot:dkim-keygen " + SEALER + " rsa2026")).contains("rsa2026._domainkey." + SEALER);
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:dkim-keys"))
                .containsPattern(SEALER + "\\s*\\|\\s*rsa2026\\s*\\|\\s*rsa-sha256.*signing"));
        configurationAdmin.getConfiguration("org.mailslot.dkim.arc", "?")
                .update(new Hashtable<>(Map.of("domain", SEALER, "selector", "rsa2026")));
        await().untilAsserted(() -> assertThat(configurationsOf("org.mailslot.dkim.arc"))
                .anySatisfy(c -> assertThat(c.properties.get("domain")).isEqualTo(SEALER)));

        String relayed = forward("sealed");
        assertThat(relayed).contains("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=" + SEALER + "; s=rsa2026;")
                .contains("ARC-Authentication-Results: i=1; " + AUTHSERV_ID + ";")
                .contains("Authentication-Results: " + AUTHSERV_ID + ";");

        Map<String, String> records = new HashMap<>();
        for (DkimKey key : service(DkimKeys.class).keys()) {
            records.put(key.dnsName().replaceAll("\\.$", ""), key.dnsRecord());
        }
        ToolRun run = Dkimpy.arcVerify(records, relayed.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run.succeeded()).as(run.stdoutText() + run.stderr()).isTrue();
        assertThat(run.stdoutText()).startsWith("cv=pass (success)").contains("i=1 ams=True as=True cv=none d=" + SEALER);

        ToolRun altered = Dkimpy.arcVerify(records, relayed.replace("Subject: sealed", "Subject: changed")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(altered.succeeded()).isFalse();
        assertThat(altered.stdoutText()).startsWith("cv=fail");
    }

    /** swaks sends to the gateway for the forwarded domain; the message as the sink got it. */
    private String forward(String subject) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port, "--timeout", "30",
                "--ehlo", "client.sender.test", "--from", "alice@sender.test", "--h-From", "<alice@sender.test>",
                "--h-Subject", subject, "--to", "bob@" + FORWARDED_DOMAIN));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish: " + output);
        }
        assertThat(process.exitValue()).as(output).isZero();
        return await().until(() -> sink.received().stream().map(RelaySink.Received::content)
                .filter(content -> content.contains("Subject: " + subject + "\r\n")).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, type, null);
        tracker.open();
        try {
            return Optional.ofNullable(tracker.getService()).orElseThrow();
        } finally {
            tracker.close();
        }
    }
}
