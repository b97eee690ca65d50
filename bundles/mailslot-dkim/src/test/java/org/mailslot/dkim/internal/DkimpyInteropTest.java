package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.EdECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.dns.DnsJavaQuery;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.ToolRun;

/**
 * Interop with python3-dkim (dkimpy): keys published as TXT records in a dnsmasq zone, Mailslot's
 * signatures verified by dkimpy, dkimsign's verified by Mailslot through the same DNS.
 */
class DkimpyInteropTest {

    static final String DOMAIN = "example.test";

    @TempDir
    static Path dir;

    static DnsmasqPeer dns;
    static SigningKey rsa;
    static SigningKey ed;
    static Path peerRsaKey;
    static Path peerEdSeed;

    @BeforeAll
    static void publishKeys() throws Exception {
        KeyFile rsaKey = KeyFile.generate(DkimAlgorithm.RSA_SHA256);
        KeyFile edKey = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        rsa = new SigningKey(DOMAIN, "rsa", rsaKey.algorithm(), rsaKey.privateKey());
        ed = new SigningKey(DOMAIN, "ed", edKey.algorithm(), edKey.privateKey());

        // The peer's keys: an RSA key as openssl writes it (PKCS#1), an Ed25519 seed as dkimpy reads it.
        peerRsaKey = dir.resolve("peer-rsa.pem");
        ToolRun.run(DkimPeers.TIMEOUT, null, java.util.Map.of(), List.of("openssl", "genrsa", "-traditional", "-out",
                peerRsaKey.toString(), "2048")).orThrow();
        KeyFile peerRsa = KeyFile.read(peerRsaKey);
        KeyFile peerEd = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        peerEdSeed = dir.resolve("peer-ed.key");
        Files.writeString(peerEdSeed, Base64.getEncoder().encodeToString(
                ((EdECPrivateKey) peerEd.privateKey()).getBytes().orElseThrow()) + "\n");

        DnsmasqPeer.Builder builder = DnsmasqPeer.builder().localDomain("test");
        DkimPeers.txt(builder, "rsa._domainkey." + DOMAIN, rsaKey.dnsRecord());
        DkimPeers.txt(builder, "ed._domainkey." + DOMAIN, edKey.dnsRecord());
        DkimPeers.txt(builder, "peerrsa._domainkey." + DOMAIN, peerRsa.dnsRecord());
        DkimPeers.txt(builder, "peered._domainkey." + DOMAIN, peerEd.dnsRecord());
        dns = builder.start();
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    private static byte[] mailslotSigned(byte[] message, List<SigningKey> keys) throws Exception {
        return SignerTest.signed(new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, Clock.systemUTC()),
                message, keys);
    }

    private static Verifier mailslotVerifier() {
        return new Verifier(new DnsKeyLookup(new DnsJavaQuery(dns.resolver(), Duration.ofSeconds(5))), Clock.systemUTC());
    }

    @Test
    void mailslotRsaEd25519AndDualSignaturesVerifyWithDkimpy() throws Exception {
        for (List<SigningKey> keys : List.of(List.of(rsa), List.of(ed), List.of(ed, rsa))) {
            for (byte[] message : List.of(Messages.simple("alice@" + DOMAIN), Messages.ofSize("alice@" + DOMAIN, 100_000))) {
                ToolRun run = DkimpyInteropTest.verify(mailslotSigned(message, keys));
                assertThat(run.succeeded()).as(keys + ": " + run.stdoutText() + run.stderr()).isTrue();
                assertThat(run.stdoutText().lines().filter(line -> line.endsWith(": pass"))).hasSize(keys.size());
            }
        }
    }

    @Test
    void dkimpyFailsMailslotSignedMailAlteredAfterSigning() throws Exception {
        String signed = Messages.text(mailslotSigned(Messages.simple("alice@" + DOMAIN), List.of(ed, rsa)));
        for (String altered : List.of(signed.replace("this is  a test", "this is a forgery"),
                signed.replace("Subject:   A   test", "Subject: A changed test"),
                signed.replace("Message-ID:", "From: ceo@" + DOMAIN + "\r\nMessage-ID:"))) {
            ToolRun run = verify(altered.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(run.succeeded()).as(run.stdoutText()).isFalse();
            assertThat(run.stdoutText()).doesNotContain(": pass");
        }
    }

    @Test
    void dkimsignSignaturesVerifyWithMailslotThroughDns() throws Exception {
        byte[] message = Messages.simple("carol@" + DOMAIN);
        List<byte[]> signedByPeer = List.of(
                Dkimpy.sign("peerrsa", DOMAIN, peerRsaKey, message).orThrow().stdout(),
                Dkimpy.sign("peerrsa", DOMAIN, peerRsaKey, message, "--hcanon", "relaxed", "--bcanon", "relaxed")
                        .orThrow().stdout(),
                Dkimpy.sign("peered", DOMAIN, peerEdSeed, message, "--signalg", "ed25519-sha256", "--hcanon",
                        "relaxed", "--bcanon", "relaxed").orThrow().stdout(),
                Dkimpy.sign("peered", DOMAIN, peerEdSeed, Messages.ofSize("carol@" + DOMAIN, 100_000),
                        "--signalg", "ed25519-sha256").orThrow().stdout());
        for (byte[] signed : signedByPeer) {
            List<DkimSignatureResult> results = mailslotVerifier().verify(MessageSource.of(Messages.crlf(
                    Messages.text(signed)))).signatures();
            assertThat(results).as(Messages.text(signed)).extracting(DkimSignatureResult::result)
                    .containsExactly(DkimResult.PASS);
            assertThat(results.get(0).domain()).isEqualTo(DOMAIN);
        }
    }

    @Test
    void dkimsignedMailAlteredAfterSigningFailsInMailslot() throws Exception {
        String signed = Messages.text(Messages.crlf(Messages.text(Dkimpy.sign("peered", DOMAIN, peerEdSeed,
                Messages.simple("carol@" + DOMAIN), "--signalg", "ed25519-sha256", "--hcanon", "relaxed", "--bcanon",
                "relaxed").orThrow().stdout())));
        assertThat(mailslotVerifier().verify(MessageSource.of(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .passedFor(DOMAIN)).isTrue();
        assertResult(signed.replace("this is  a test", "this is a forgery"), DkimResult.FAIL, "body hash mismatch");
        assertResult(signed.replace("Subject:   A   test", "Subject: A changed test"), DkimResult.FAIL,
                "signature does not verify");
        assertResult(signed.replace("Message-ID:", "From: ceo@" + DOMAIN + "\r\nMessage-ID:"), DkimResult.FAIL,
                "signature does not verify");
    }

    @Test
    void anUnpublishedSelectorIsAPermanentError() throws Exception {
        byte[] signed = mailslotSigned(Messages.simple("alice@" + DOMAIN),
                List.of(new SigningKey(DOMAIN, "nowhere", ed.algorithm(), ed.key())));
        DkimSignatureResult result = mailslotVerifier().verify(MessageSource.of(signed)).signatures().get(0);
        assertThat(result.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(result.reason()).isEqualTo("no key record at nowhere._domainkey." + DOMAIN + " (NXDOMAIN)");
    }

    private static void assertResult(String message, DkimResult expected, String reason) throws Exception {
        List<DkimSignatureResult> results = mailslotVerifier().verify(
                MessageSource.of(message.getBytes(java.nio.charset.StandardCharsets.UTF_8))).signatures();
        assertThat(results).extracting(DkimSignatureResult::result, DkimSignatureResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(expected, reason));
    }

    static ToolRun verify(byte[] message) {
        return Dkimpy.verify(dns.resolver(), message);
    }
}
