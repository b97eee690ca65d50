package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsJavaQuery;
import org.mailslot.support.dns.DnsQuery;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.OpenDmarc;

/**
 * The same messages and DMARC records (in a dnsmasq zone, public suffixes from Debian's list)
 * judged by Mailslot and by OpenDMARC ({@code opendmarc -t}), which reads the DKIM results from
 * the {@code Authentication-Results} field Mailslot wrote: the same result, policy and disposition.
 * The DKIM results are given per case (DKIM itself is tested against dkimpy and OpenDKIM in
 * mailslot-dkim); SPF alignment is not compared, as {@code opendmarc -t} has no envelope to match
 * an SPF result with (see {@code DmarcEvaluatorTest}). Two cases where OpenDMARC 1.4.2 departs from
 * RFC 7489 are in {@code DmarcEvaluatorTest} only: it passes {@code adkim=s} for a subdomain's
 * signature, and gives permerror for an invalid {@code p=} with {@code rua=} (section 6.6.3: p=none).
 */
@EnabledIf("peersInstalled")
class OpenDmarcInteropTest {

    private static final String AUTHSERV_ID = "mx.receiver.test";
    private static DnsmasqPeer dns;
    private static SenderChecks mailslot;
    private static List<DkimSignatureResult> signatures = List.of();

    static boolean peersInstalled() {
        return new java.io.File("/usr/sbin/opendmarc").canExecute() && new java.io.File("/usr/sbin/dnsmasq").canExecute()
                && new java.io.File(PublicSuffixListTest.DEBIAN_LIST).isFile();
    }

    @BeforeAll
    static void publish() throws Exception {
        List<String> options = new ArrayList<>();
        options.add(Dkimpy.txtRecordOption("_dmarc.example.com", "v=DMARC1; p=reject"));
        options.add(Dkimpy.txtRecordOption("_dmarc.example.net", "v=DMARC1; p=quarantine; sp=none"));
        options.add(Dkimpy.txtRecordOption("_dmarc.example.org", "v=DMARC1; p=reject; adkim=s; aspf=s"));
        options.add(Dkimpy.txtRecordOption("_dmarc.example.co.uk", "v=DMARC1; p=reject; sp=quarantine"));
        dns = DnsmasqPeer.builder().standardPort().localDomain("com").localDomain("net").localDomain("org")
                .localDomain("uk").options(options).start();
        DnsQuery query = new CachingDnsQuery(new DnsJavaQuery(dns.resolver(), Duration.ofSeconds(2)), Clock.systemUTC());
        mailslot = new SenderChecks(query, PublicSuffixList.read(Path.of(PublicSuffixListTest.DEBIAN_LIST)),
                message -> new MessageSignatures(new DkimVerification(signatures), new ArcVerification(ArcResult.NONE, 0, "", "")), AUTHSERV_ID, true, () -> 0);
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @ParameterizedTest(name = "From {0}, DKIM {1}: {2} p={3} dis={4}")
    @CsvSource({
        "example.com, pass example.com, pass, reject, none",
        "example.com, pass mail.example.com, pass, reject, none",
        "example.com, pass other.com, fail, reject, reject",
        "example.com, fail example.com, fail, reject, reject",
        "example.com, '', fail, reject, reject",
        "example.com, temperror other.com|pass mail.example.com, pass, reject, none",
        "news.example.net, pass other.com, fail, none, none",
        "example.net, pass other.com, fail, quarantine, quarantine",
        "example.org, pass example.org, pass, reject, none",
        "shop.example.co.uk, pass example.co.uk, pass, quarantine, none",
        "shop.example.co.uk, pass other.co.uk, fail, quarantine, quarantine",
    })
    void mailslotAndOpenDmarcAgree(String fromDomain, String dkim, String result, String policy, String disposition)
            throws Exception {
        signatures = new ArrayList<>();
        StringBuilder signatureFields = new StringBuilder();
        for (String signature : dkim.split("\\|")) {
            if (!signature.isBlank()) {
                String[] parts = signature.split(" ");
                signatures.add(new DkimSignatureResult(parts[1], "s1", Optional.of(DkimAlgorithm.RSA_SHA256), null,
                        DkimResult.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)), "", "abcdefgh"));
                // The verifier is a stand-in for these results; the checks ask it only for a signed message.
                signatureFields.append("DKIM-Signature: v=1; a=rsa-sha256; d=").append(parts[1]).append("; s=s1\r\n");
            }
        }
        byte[] message = (signatureFields + "From: Alice <alice@" + fromDomain + ">\r\nTo: bob@receiver.test\r\nSubject: hello\r\n"
                + "Date: Mon, 07 Dec 2026 12:00:00 +0000\r\nMessage-ID: <1@" + fromDomain + ">\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SenderAuthentication ours = mailslot.authenticate(Optional.empty(), "", "", MessageSource.of(message));
        byte[] withResults = (ours.headerFields() + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        OpenDmarc.Result theirs = OpenDmarc.evaluate(dns.address(), AUTHSERV_ID, withResults);

        String domain = disposition.equals("reject") ? "" : fromDomain;
        assertEquals(new OpenDmarc.Result(result, policy, disposition, domain), theirs, "OpenDMARC");
        assertEquals(result, ours.dmarc().result().keyword(), ours.headerFields());
        assertEquals(policy, ours.dmarc().policy().map(p -> p.keyword()).orElse("none"), ours.headerFields());
        assertEquals(disposition, ours.dmarc().result().keyword().equals("fail") ? ours.dmarc().disposition().keyword() : "none");
    }
}
