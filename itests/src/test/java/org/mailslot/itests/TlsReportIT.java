package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.TestCa;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.Configuration;

/**
 * TLS reports in the distribution: a message sent with mailslot:send goes through the spool and the MX
 * route to a Postfix MX, mailslot:tls-report counts its TLS session, and --send queues the report for
 * the rua that dnsmasq publishes in {@code _smtp._tls}, which the spool delivers to Postfix as well.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TlsReportIT extends MailslotTestSupport {

    private static final String HOST = PostfixPeer.DEFAULT_ADDRESS;

    private PostfixPeer postfix;
    private DnsmasqPeer dns;
    private Configuration mx;
    private Dictionary<String, Object> mxBefore;

    @After
    public void restore() throws Exception {
        if (mx != null) {
            if (mxBefore == null) {
                mx.delete();
            } else {
                mx.update(mxBefore);
            }
        }
        Configuration tlsrpt = configurationAdmin.getConfiguration("org.mailslot.tlsrpt", "?");
        if (tlsrpt.getProperties() != null) {
            tlsrpt.delete();
        }
        if (dns != null) {
            dns.close();
        }
        if (postfix != null) {
            postfix.close();
        }
    }

    @Test
    public void anMxDeliveryIsCountedAndTheReportGoesToTheRuaThroughTheSpool() throws Exception {
        TestCa ca = TestCa.create();
        postfix = PostfixPeer.builder().certificate(ca.issueServer(HOST, "mx.peer.test"))
                .domains("peer.test", "reports.test")
                .closed(Listener.SUBMISSION).closed(Listener.SUBMISSIONS).closed(Listener.ALTERNATE).start();
        dns = DnsmasqPeer.builder().localDomain("test")
                .mx("peer.test", "mx.peer.test", 10).host("mx.peer.test", HOST)
                .mx("reports.test", "mx.reports.test", 10).host("mx.reports.test", HOST)
                .option("--txt-record=_smtp._tls.peer.test,v=TLSRPTv1; rua=mailto:tlsrpt@reports.test")
                .start();
        mx = configurationAdmin.getConfiguration("org.mailslot.mx", "?");
        mxBefore = mx.getProperties();
        mx.update(new Hashtable<>(Map.of("resolver", dns.resolver(), "dns.timeout", "5")));
        configurationAdmin.getConfiguration("org.mailslot.tlsrpt", "?").update(new Hashtable<>(Map.of(
                "submitter", "mail.sender.test", "organization.name", "Mailslot TlsReportIT")));
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:tls-report --date 2000-01-01"))
                .contains("No TLS session counted on 2000-01-01"));

        executeCommand("mailslot:send --from alice@client.test --to bob@peer.test --subject \"counted for a report\""
                + " --body \"Hello.\"");
        await().until(() -> mailbox().contains("Subject: counted for a report"));

        await().untilAsserted(() -> assertThat(executeCommand("mailslot:tls-report"))
                .containsPattern("peer\\.test\\s*\\|\\s*1\\s*\\|\\s*0\\s*\\|\\s*\\d{4}-\\d\\d-\\d\\dT00:00:00Z_peer\\.test@mail\\.sender\\.test"));
        assertThat(executeCommand("mailslot:tls-report --json")).contains("\"organization-name\":\"Mailslot TlsReportIT\"",
                "\"policy-type\":\"no-policy-found\"", "\"policy-domain\":\"peer.test\"",
                "\"total-successful-session-count\":1");

        assertThat(executeCommand("mailslot:tls-report --send")).contains("mailto:tlsrpt@reports.test: queued as");
        await().until(() -> mailbox().contains("TLS-Report-Domain: peer.test"));
        assertThat(mailbox()).contains("TLS-Report-Submitter: mail.sender.test", "report-type=\"tlsrpt\"",
                "Content-Type: application/tlsrpt+gzip");
    }

    private String mailbox() {
        StringBuilder all = new StringBuilder();
        for (Path message : postfix.messages()) {
            try {
                all.append(Files.readString(message, StandardCharsets.ISO_8859_1));
            } catch (java.io.IOException e) {
                // Being written: read at the next poll.
            }
        }
        return all.toString();
    }
}
