package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.ToolRun;

/**
 * Interop with OpenDKIM 2.11 in its test mode ({@code opendkim -t}). Its {@code Nameservers}
 * setting takes addresses only (port 53, which the test peers never use), so keys come from its
 * test key data set ({@code TestDNSData}): the same records a zone would publish.
 */
class OpenDkimInteropTest {

    static final String DOMAIN = "example.test";

    @TempDir
    static Path dir;

    static SigningKey rsa;
    static SigningKey ed;
    static Path verifyConfig;
    static Path peerKey;
    static KeyFile peer;

    @BeforeAll
    static void keys() throws Exception {
        KeyFile rsaKey = KeyFile.generate(DkimAlgorithm.RSA_SHA256);
        KeyFile edKey = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        rsa = new SigningKey(DOMAIN, "rsa", rsaKey.algorithm(), rsaKey.privateKey());
        ed = new SigningKey(DOMAIN, "ed", edKey.algorithm(), edKey.privateKey());
        Path dnsData = dir.resolve("dnsdata");
        Files.writeString(dnsData, "rsa._domainkey." + DOMAIN + " " + rsaKey.dnsRecord() + "\n"
                + "ed._domainkey." + DOMAIN + " " + edKey.dnsRecord() + "\n");
        verifyConfig = dir.resolve("verify.conf");
        Files.writeString(verifyConfig, "Mode v\nSyslog no\nTestDNSData file:" + dnsData + "\n");

        peerKey = dir.resolve("opendkim.private");
        ToolRun.run(DkimPeers.TIMEOUT, null, Map.of(), List.of("openssl", "genrsa", "-traditional", "-out",
                peerKey.toString(), "2048")).orThrow();
        peer = KeyFile.read(peerKey);
    }

    /** @return the dkim= results of the Authentication-Results field OpenDKIM would add */
    private static List<String> openDkimResults(byte[] message) throws Exception {
        Path file = Files.createTempFile(dir, "message-", ".eml");
        Files.write(file, message);
        ToolRun run = DkimPeers.opendkim(verifyConfig, file, "-vvv");
        String output = run.stdoutText() + run.stderr();
        Matcher matcher = Pattern.compile("dkim=(\\w+)[^;]*?header\\.a=(\\S+)")
                .matcher(output);
        List<String> results = new java.util.ArrayList<>();
        while (matcher.find()) {
            results.add(matcher.group(2) + "=" + matcher.group(1));
        }
        assertThat(results).as(output).isNotEmpty();
        return results;
    }

    private static byte[] mailslotSigned(byte[] message, List<SigningKey> keys) throws Exception {
        return SignerTest.signed(new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, Clock.systemUTC()),
                message, keys);
    }

    @Test
    void mailslotRsaEd25519AndDualSignaturesVerifyWithOpenDkim() throws Exception {
        byte[] message = Messages.simple("alice@" + DOMAIN);
        assertThat(openDkimResults(mailslotSigned(message, List.of(rsa)))).containsExactly("rsa-sha256=pass");
        assertThat(openDkimResults(mailslotSigned(message, List.of(ed)))).containsExactly("ed25519-sha256=pass");
        assertThat(openDkimResults(mailslotSigned(Messages.ofSize("alice@" + DOMAIN, 100_000), List.of(ed, rsa))))
                .containsExactlyInAnyOrder("ed25519-sha256=pass", "rsa-sha256=pass");
    }

    @Test
    void openDkimFailsMailslotSignedMailWithAChangedBody() throws Exception {
        String signed = Messages.text(mailslotSigned(Messages.simple("alice@" + DOMAIN), List.of(rsa)));
        assertThat(openDkimResults(signed.replace("this is  a test", "this is a forgery")
                .getBytes(StandardCharsets.UTF_8))).containsExactly("rsa-sha256=fail");
    }

    @Test
    void openDkimSignaturesVerifyWithMailslotAndFailWhenAltered() throws Exception {
        Path config = dir.resolve("sign.conf");
        Files.writeString(config, "Mode s\nSyslog no\nRequireSafeKeys false\nDomain " + DOMAIN
                + "\nSelector peer\nKeyFile " + peerKey + "\nCanonicalization relaxed/relaxed\n");
        byte[] message = Messages.simple("carol@" + DOMAIN);
        Path file = dir.resolve("unsigned.eml");
        Files.write(file, message);
        ToolRun run = DkimPeers.opendkim(config, file).orThrow();
        // Test mode prints the field it would add: "DKIM-Signature: ..." with its folded lines.
        Matcher field = Pattern.compile("(?m)^DKIM-Signature:.*(\\n[ \\t].*)*").matcher(run.stdoutText().replace("\r\n", "\n"));
        assertThat(field.find()).as(run.stdoutText() + run.stderr()).isTrue();
        String signed = field.group().replace("\n", "\r\n") + "\r\n" + Messages.text(message);

        MapKeyLookup dns = new MapKeyLookup().with("peer._domainkey." + DOMAIN, peer.dnsRecord());
        Verifier verifier = new Verifier(dns, Clock.systemUTC());
        assertThat(verifier.verify(MessageSource.of(signed.getBytes(StandardCharsets.UTF_8))).signatures())
                .extracting(DkimSignatureResult::result).containsExactly(DkimResult.PASS);
        assertThat(verifier.verify(MessageSource.of(signed.replace("this is  a test", "this is a forgery")
                .getBytes(StandardCharsets.UTF_8))).signatures()).extracting(DkimSignatureResult::result)
                .containsExactly(DkimResult.FAIL);
        assertThat(verifier.verify(MessageSource.of(signed.replace("To: Bob", "To: Mallory")
                .getBytes(StandardCharsets.UTF_8))).signatures()).extracting(DkimSignatureResult::result)
                .containsExactly(DkimResult.FAIL);
    }
}
