package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.MessageSource;

/** Mailslot's signatures verify with Mailslot's verifier, in every canonicalization, one key or two. */
class SignerTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void dualSignatureOverOversignedHeadersVerifiesInEveryCanonicalization() throws Exception {
        KeyFile rsa = KeyFile.generate(DkimAlgorithm.RSA_SHA256);
        KeyFile ed = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        MapKeyLookup dns = new MapKeyLookup().with("rsa1._domainkey.example.org", rsa.dnsRecord())
                .with("ed1._domainkey.example.org", ed.dnsRecord());
        List<SigningKey> keys = List.of(new SigningKey("example.org", "rsa1", rsa.algorithm(), rsa.privateKey()),
                new SigningKey("example.org", "ed1", ed.algorithm(), ed.privateKey()));
        byte[] message = Messages.simple("alice@example.org");
        for (Canonicalization header : Canonicalization.values()) {
            for (Canonicalization body : Canonicalization.values()) {
                byte[] signed = signed(new DkimSigner(header, body, clock), message, keys);
                assertThat(new Verifier(dns, clock).verify(MessageSource.of(signed)).signatures())
                        .as(header + "/" + body).extracting(DkimSignatureResult::result)
                        .containsExactly(DkimResult.PASS, DkimResult.PASS);
                String text = Messages.text(signed);
                assertThat(text).contains("c=" + header.tag() + "/" + body.tag()).doesNotContain(" l=");
            }
        }
    }

    @Test
    void hNamesTheUsualFieldsAndOversignsFromToSubjectDate() throws Exception {
        HeaderSection headers = HeaderSection.read(new ByteArrayInputStream(Messages.simple("alice@example.org")));
        assertThat(DkimSigner.signedNames(headers)).containsExactly("from", "from", "subject", "subject", "date", "date",
                "to", "to", "message-id", "mime-version", "content-type");
        // A field absent from the message is still signed once: it cannot be added.
        HeaderSection noDate = HeaderSection.read(new ByteArrayInputStream(Messages.crlf("From: a@example.org\n\nx\n")));
        assertThat(DkimSigner.signedNames(noDate)).containsExactly("from", "from", "subject", "date", "to");
    }

    @Test
    void generatedKeysAreWrittenOwnerOnlyAndReadBack() throws Exception {
        for (DkimAlgorithm algorithm : DkimAlgorithm.values()) {
            KeyFile key = KeyFile.generate(algorithm);
            Path file = dir.resolve(algorithm.keyType() + ".pem");
            key.write(file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
            KeyFile read = KeyFile.read(file);
            assertThat(read.algorithm()).isEqualTo(algorithm);
            assertThat(read.dnsRecord()).isEqualTo(key.dnsRecord());
        }
    }

    @Test
    void theRfc8463PrivateKeyGivesItsPublishedRecord() throws Exception {
        Path file = dir.resolve("brisbane.pem");
        // RFC 8463 Appendix A.1 (RFC 8032 section 7.1 test 1) as PKCS#8.
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n");
        assertThat(KeyFile.read(file).dnsRecord())
                .isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    }

    static byte[] signed(DkimSigner signer, byte[] message, List<SigningKey> keys) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(signer.sign(new ByteArrayInputStream(message), keys));
        out.write(message);
        return out.toByteArray();
    }
}
