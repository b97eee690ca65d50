package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Sender checks against the distribution: swaks sends to a 25-type listener from domains whose SPF
 * and DMARC records a dnsmasq zone publishes (through {@code org.mailslot.mx resolver}, as the
 * README says): a DMARC p=reject failure is refused with 550 5.7.1; a quarantine failure is delivered
 * with X-Mailslot-Quarantine and Authentication-Results, a forged Authentication-Results gone; a
 * domain whose DNS does not answer gets 451; with mailslot-auth stopped the listener answers 451 (fail
 * closed) until it is started again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SenderAuthIT extends MailslotTestSupport {

    private static final String AUTHSERV_ID = "mx.sender-auth.test";

    private DnsmasqPeer dns;
    private int port;

    @Before
    public void publishAndListen() throws Exception {
        dns = DnsmasqPeer.builder().localDomain("test")
                .option(Dkimpy.txtRecordOption("rejecting.test", "v=spf1 ip4:192.0.2.1 -all"))
                .option(Dkimpy.txtRecordOption("_dmarc.rejecting.test", "v=DMARC1; p=reject"))
                .option(Dkimpy.txtRecordOption("quarantining.test", "v=spf1 ip4:192.0.2.1 -all"))
                .option(Dkimpy.txtRecordOption("_dmarc.quarantining.test", "v=DMARC1; p=quarantine"))
                .option(Dkimpy.txtRecordOption("passing.test", "v=spf1 ip4:127.0.0.0/8 -all"))
                .option(Dkimpy.txtRecordOption("_dmarc.passing.test", "v=DMARC1; p=reject"))
                .forward("slow.test", "127.0.0.9", 9).start();
        setConfiguration("org.mailslot.mx", Map.of("resolver", dns.resolver(), "dns.timeout", "2"));
        setConfiguration("org.mailslot.auth", Map.of("authserv.id", AUTHSERV_ID));

        // Both configurations are applied asynchronously: wait until the checks see the zone under the id.
        await().untilAsserted(() -> {
            SenderAuthentication probe = senderAuthenticator().authenticate(Optional.of(InetAddress.getByName("127.0.0.1")),
                    "probe.test", "probe@passing.test", MessageSource.of("From: probe@passing.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(probe.authservId()).isEqualTo(AUTHSERV_ID);
            assertThat(probe.dmarc().result()).isEqualTo(DmarcResult.PASS);
        });

        port = freePort();
        createFactoryConfiguration("org.mailslot.listener", "mx-checked",
                new HashMap<>(Map.of("address", "127.0.0.1", "port", port, "strategy", 25)));
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("mx-checked.*127.0.0.1:" + port + ".*(?i)bound"));
    }

    @After
    public void restore() throws Exception {
        deleteCreatedConfigurations();
        restoreConfigurations();
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    public void aDmarcRejectFailureIsRefusedWith550() throws Exception {
        Result result = swaks("ceo@rejecting.test", "wire money");
        assertThat(result.output()).contains("<** 550 5.7.1 Message refused: it fails DMARC and rejecting.test asks receivers to reject it");
        assertThat(delivered()).noneMatch(message -> message.contains("wire money"));
    }

    @Test
    public void aQuarantineFailureIsDeliveredMarkedWithTheResults() throws Exception {
        Result result = swaks("news@quarantining.test", "quarantined news", "--add-header",
                "Authentication-Results: " + AUTHSERV_ID + "; dmarc=pass header.from=quarantining.test");
        assertThat(result.exitCode()).as(result.output()).isZero();
        String message = await().until(() -> delivered().stream().filter(m -> m.contains("quarantined news")).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(message).contains("Authentication-Results: " + AUTHSERV_ID + ";\r\n\tspf=fail")
                .contains("smtp.mailfrom=news@quarantining.test")
                .contains("dmarc=fail (p=quarantine dis=quarantine")
                .contains("X-Mailslot-Quarantine: DMARC policy of quarantining.test")
                .doesNotContain("dmarc=pass");
    }

    @Test
    public void aPassIsDeliveredWithTheResults() throws Exception {
        Result result = swaks("alice@passing.test", "passing through");
        assertThat(result.exitCode()).as(result.output()).isZero();
        String message = await().until(() -> delivered().stream().filter(m -> m.contains("passing through")).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(message).contains("spf=pass").contains("dmarc=pass (p=reject dis=none, SPF aligned with passing.test)")
                .doesNotContain("X-Mailslot-Quarantine");
    }

    @Test
    public void dnsThatDoesNotAnswerIs451() throws Exception {
        Result result = swaks("someone@slow.test", "slow dns");
        assertThat(result.output()).contains("<** 451 4.7.1 Sender authentication could not be completed (DNS); try again later");
        assertThat(delivered()).noneMatch(message -> message.contains("slow dns"));
    }

    /** A message of some MB is checked (from its spill file) and delivered whole, with the results on top. */
    @Test
    public void aLargeMessageIsCheckedAndDeliveredWhole() throws Exception {
        Path body = Files.createTempFile("sender-auth-large", ".txt");
        try {
            String line = "large message line ".repeat(4) + "\r\n";
            int lines = 5 * 1024 * 1024 / line.length();
            Files.writeString(body, line.repeat(lines) + "the end of the large message\r\n");
            Result result = swaks("alice@passing.test", "large and checked", "--body", "@" + body);
            assertThat(result.output()).contains("<-  250 2.0.0 Ok: queued as");
            String message = await().until(() -> delivered().stream().filter(m -> m.contains("large and checked"))
                    .findFirst(), Optional::isPresent).orElseThrow();
            assertThat(message).contains("dmarc=pass").contains(line + "the end of the large message\r\n");
            assertThat(message.split(line, -1)).as("the lines delivered").hasSize(lines + 1);
            assertThat(message.indexOf("Authentication-Results: " + AUTHSERV_ID)).isLessThan(message.indexOf("Subject:"));
        } finally {
            Files.delete(body);
        }
    }

    /**
     * Fail closed: with mailslot-auth stopped the 25-type listener takes nothing unchecked, it answers
     * 451 4.7.1 (and shows why in mailslot:listeners); started again, the same mail is checked and delivered.
     */
    @Test
    public void withTheCheckerStoppedARelayListenerAnswers451AndOnceItIsBackItTakesTheMail() throws Exception {
        Bundle auth = Arrays.stream(bundleContext.getBundles()).filter(b -> "org.mailslot.auth".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        auth.stop();
        try {
            await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                    .containsPattern("mx-checked.*(?i)bound: no sender checks"));
            Result refused = swaks("alice@passing.test", "while the checks are stopped");
            assertThat(refused.output()).contains("<** 451 4.7.1 Sender authentication is unavailable; try again later")
                    .doesNotContain("<-  250 2.0.0");
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        } finally {
            auth.start();
        }
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners")).doesNotContain("no sender checks"));
        await().untilAsserted(() -> assertThat(senderAuthenticator().authservId()).isEqualTo(AUTHSERV_ID));
        Result taken = swaks("alice@passing.test", "once the checks are back");
        assertThat(taken.output()).contains("<-  250 2.0.0 Ok: queued as");
        String message = await().until(() -> delivered().stream().filter(m -> m.contains("once the checks are back"))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(message).contains("dmarc=pass");
        assertThat(delivered()).noneMatch(m -> m.contains("while the checks are stopped"));
    }

    private SenderAuthenticator senderAuthenticator() {
        ServiceTracker<SenderAuthenticator, SenderAuthenticator> tracker = new ServiceTracker<>(bundleContext, SenderAuthenticator.class, null);
        tracker.open();
        try {
            return Optional.ofNullable(tracker.getService()).orElseThrow();
        } finally {
            tracker.close();
        }
    }

    private List<String> delivered() throws Exception {
        Path mailboxes = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes");
        return DeliveredMessages.under(mailboxes).stream().map(DeliveredMessages.Delivered::content).toList();
    }

    record Result(int exitCode, String output) {
    }

    private Result swaks(String from, String subject, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port, "--timeout", "30",
                "--ehlo", "client.sender-auth.test", "--from", from, "--h-From", "<" + from + ">", "--h-Subject", subject,
                "--to", TEST_USER + "@localhost"));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
