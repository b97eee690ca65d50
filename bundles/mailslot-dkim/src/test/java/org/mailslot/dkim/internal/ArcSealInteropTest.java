package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.ToolRun;

/**
 * ARC sets sealed by Mailslot, judged by python3-dkim's {@code dkim.arc_verify} (keys through a dnsfunc
 * over the same records Mailslot looks up): one hop passes, a second hop passes with i=2 cv=pass, RSA
 * and Ed25519; a message altered after sealing fails; a chain dkimpy started, sealed on by Mailslot,
 * passes in both.
 */
@EnabledIf("dkimpyInstalled")
class ArcSealInteropTest {

    private static final String SEAL = """
            import sys, dkim
            selector, domain, keyfile, srv_id = sys.argv[1:5]
            message = sys.stdin.buffer.read()
            fields = dkim.arc_sign(message, selector.encode(), domain.encode(), open(keyfile, 'rb').read(), srv_id.encode())
            sys.stdout.buffer.write(b''.join(fields) + message)
            """;

    @TempDir
    static Path dir;

    private static final MapKeyLookup DNS = new MapKeyLookup();
    private static SigningKey relayRsa;
    private static SigningKey relayEd;
    private static SigningKey nextRsa;
    private static Path peerKey;

    static boolean dkimpyInstalled() {
        return Files.exists(Path.of("/usr/lib/python3/dist-packages/dkim/__init__.py"));
    }

    @BeforeAll
    static void keys() throws Exception {
        relayRsa = ArcSealerTestKeys.key(DNS, "relay.example", "rsa", DkimAlgorithm.RSA_SHA256);
        relayEd = ArcSealerTestKeys.key(DNS, "relay.example", "ed", DkimAlgorithm.ED25519_SHA256);
        nextRsa = ArcSealerTestKeys.key(DNS, "next.example", "arc", DkimAlgorithm.RSA_SHA256);
        peerKey = dir.resolve("peer.pem");
        ToolRun.run(Duration.ofSeconds(60), null, Map.of(), List.of("openssl", "genrsa", "-traditional", "-out",
                peerKey.toString(), "2048")).orThrow();
        DNS.records.put("peer._domainkey.list.example", KeyFile.read(peerKey).dnsRecord());
    }

    private static String sealed(String message, SigningKey key, String authservId) throws Exception {
        ArcSealer.Outcome outcome = new ArcSealer(DNS, Clock.systemUTC())
                .seal(MessageSource.of(message.getBytes(StandardCharsets.UTF_8)), key, authservId);
        assertThat(outcome).isInstanceOf(ArcSealer.Sealed.class);
        return new String(((ArcSealer.Sealed) outcome).fields(), StandardCharsets.UTF_8) + message;
    }

    private static ToolRun dkimpy(String message) {
        return Dkimpy.arcVerify(DNS.records, message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneHopSealedByMailslotPassesInDkimpy() throws Exception {
        ToolRun run = dkimpy(sealed(ArcSealerTest.FORWARDED, relayRsa, "relay.example"));
        assertThat(run.succeeded()).as(run.stdoutText() + run.stderr()).isTrue();
        assertThat(run.stdoutText()).startsWith("cv=pass (success)").contains("i=1 ams=True as=True cv=none d=relay.example");
    }

    /** Why the stage seals with RSA keys only: dkimpy's ARC knows no other algorithm. */
    @Test
    void dkimpyRefusesAnEd25519Seal() throws Exception {
        ToolRun run = dkimpy(sealed(ArcSealerTest.FORWARDED, relayEd, "relay.example"));
        assertThat(run.succeeded()).isFalse();
        assertThat(run.stdoutText()).startsWith("cv=fail (unknown signature algorithm: b'ed25519-sha256')");
    }

    @Test
    void aSecondHopPassesWithCvPass() throws Exception {
        String once = sealed(ArcSealerTest.FORWARDED, relayRsa, "relay.example");
        String twice = sealed("Authentication-Results: next.example; arc=pass\r\n" + once, nextRsa, "next.example");
        ToolRun run = dkimpy(twice);
        assertThat(run.succeeded()).as(run.stdoutText() + run.stderr()).isTrue();
        assertThat(run.stdoutText()).contains("i=2 ams=True as=True cv=pass d=next.example")
                .contains("i=1 ams=True as=True cv=none d=relay.example");
    }

    @Test
    void aMessageAlteredAfterSealingFailsInDkimpy() throws Exception {
        String twice = sealed("Authentication-Results: next.example; arc=pass\r\n"
                + sealed(ArcSealerTest.FORWARDED, relayRsa, "relay.example"), nextRsa, "next.example");
        for (String altered : List.of(twice.replace("Hello through", "Pay this invoice,"),
                twice.replace("Subject: forwarded", "Subject: urgent"),
                twice.replace("ARC-Authentication-Results: i=1; relay.example;", "ARC-Authentication-Results: i=1; relay.example; dkim=pass;"))) {
            ToolRun run = dkimpy(altered);
            assertThat(run.succeeded()).as(run.stdoutText()).isFalse();
            assertThat(run.stdoutText()).startsWith("cv=fail");
        }
    }

    @Test
    void aFailedChainSealedWithCvFailIsTheEndInDkimpy() throws Exception {
        String broken = sealed(ArcSealerTest.FORWARDED, relayRsa, "relay.example").replace("Hello through", "Changed through");
        String failed = sealed("Authentication-Results: next.example; arc=fail\r\n" + broken, nextRsa, "next.example");
        assertThat(failed).startsWith("ARC-Seal: i=2; cv=fail;");
        ToolRun run = dkimpy(failed);
        assertThat(run.succeeded()).isFalse();
        assertThat(run.stdoutText()).startsWith("cv=None (ARC-Seal[2] reported failure, the chain is terminated)");
    }

    @Test
    void aChainDkimpyStartedIsSealedOnByMailslot() throws Exception {
        Path script = Files.writeString(dir.resolve("seal.py"), SEAL);
        String byPeer = ToolRun.run(Duration.ofSeconds(60), ("Authentication-Results: list.example; spf=pass"
                + " smtp.mailfrom=alice@example.com\r\n" + ArcSealerTest.FORWARDED.replaceFirst("(?s)^.*?From:", "From:"))
                .getBytes(StandardCharsets.UTF_8), Map.of(), List.of("/usr/bin/python3", script.toString(), "peer",
                "list.example", peerKey.toString(), "list.example")).orThrow().stdoutText();
        assertThat(byPeer).contains("ARC-Seal: i=1;");
        String ours = sealed("Authentication-Results: relay.example; arc=pass\r\n" + byPeer, relayRsa, "relay.example");
        assertThat(ours).startsWith("ARC-Seal: i=2; cv=pass;");
        ToolRun run = dkimpy(ours);
        assertThat(run.succeeded()).as(run.stdoutText() + run.stderr()).isTrue();
        assertThat(run.stdoutText()).contains("i=2 ams=True as=True cv=pass d=relay.example")
                .contains("i=1 ams=True as=True cv=none d=list.example");
        assertThat(new ArcChainVerifier(DNS).verify(MessageSource.of(ours.getBytes(StandardCharsets.UTF_8))).result())
                .isEqualTo(ArcResult.PASS);
    }
}
