package org.mailslot.dkim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.testing.peers.ToolRun;

/**
 * ARC chains sealed by python3-dkim ({@code dkim.arc_sign}, RSA and Ed25519) verify in Mailslot;
 * a changed body, a changed sealed field or a broken cv= fail; a message without ARC sets is none.
 */
@EnabledIf("dkimpyInstalled")
class ArcInteropTest {

    private static final String SEAL = """
            import sys, dkim
            selector, domain, keyfile, algorithm = sys.argv[1:5]
            message = sys.stdin.buffer.read()
            fields = dkim.arc_sign(message, selector.encode(), domain.encode(), open(keyfile, 'rb').read(),
                                   domain.encode(), signature_algorithm=algorithm.encode())
            sys.stdout.buffer.write(b''.join(fields) + message)
            """;

    private static final String MESSAGE = "Authentication-Results: relay.example; spf=pass smtp.mailfrom=alice@example.org\r\n"
            + "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: forwarded\r\n"
            + "Date: Mon, 07 Dec 2026 12:00:00 +0000\r\nMessage-ID: <arc@example.org>\r\n\r\nHello through a list.\r\n";

    @TempDir
    static Path dir;

    private static final MapKeyLookup KEYS = new MapKeyLookup();
    private static Path rsaKey;

    static boolean dkimpyInstalled() {
        return Files.exists(Path.of("/usr/lib/python3/dist-packages/dkim/__init__.py"));
    }

    @BeforeAll
    static void keys() throws Exception {
        rsaKey = dir.resolve("rsa.pem");
        ToolRun.run(Duration.ofSeconds(60), null, Map.of(), List.of("openssl", "genrsa", "-traditional", "-out",
                rsaKey.toString(), "2048")).orThrow();
        KEYS.records.put("arc._domainkey.relay.example", KeyFile.read(rsaKey).dnsRecord());
    }

    private static String sealed() throws Exception {
        Path script = Files.writeString(dir.resolve("seal.py"), SEAL);
        ToolRun run = ToolRun.run(Duration.ofSeconds(60), MESSAGE.getBytes(StandardCharsets.US_ASCII), Map.of(),
                List.of("/usr/bin/python3", script.toString(), "arc", "relay.example", rsaKey.toString(), "rsa-sha256")).orThrow();
        return run.stdoutText();
    }

    private static ArcVerification verify(String message) throws Exception {
        return new ArcChainVerifier(KEYS).verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aChainSealedByDkimpyPasses() throws Exception {
        String sealed = sealed();
        assertTrue(sealed.startsWith("ARC-Seal: i=1;") || sealed.contains("ARC-Seal:"), sealed);
        ArcVerification verification = verify(sealed);
        assertEquals(new ArcVerification(ArcResult.PASS, 1, "relay.example", ""), verification);
    }

    @Test
    void aChangedBodyOrSealedFieldOrCvFails() throws Exception {
        String sealed = sealed();
        ArcVerification body = verify(sealed.replace("Hello through a list.", "Pay this invoice."));
        assertEquals(ArcResult.FAIL, body.result());
        assertTrue(body.reason().contains("body hash mismatch"), body.reason());
        ArcVerification results = verify(sealed.replace("ARC-Authentication-Results: i=1; relay.example;",
                "ARC-Authentication-Results: i=1; relay.example; dkim=pass;"));
        assertEquals(ArcResult.FAIL, results.result(), sealed);
        assertTrue(results.reason().contains("ARC-Seal i=1: signature does not verify"), results.reason());
        assertEquals(ArcResult.FAIL, verify(sealed.replace("cv=none", "cv=pass")).result());
    }

    @Test
    void noSetsIsNone() throws Exception {
        assertEquals(ArcResult.NONE, verify(MESSAGE).result());
    }
}
