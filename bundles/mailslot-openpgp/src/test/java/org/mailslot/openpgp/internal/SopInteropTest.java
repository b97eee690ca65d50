package org.mailslot.openpgp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.openpgp.internal.OpenPgpFixture.address;
import static org.mailslot.openpgp.internal.OpenPgpFixture.message;
import static org.mailslot.openpgp.internal.OpenPgpFixture.pgpMimeEncrypted;
import static org.mailslot.openpgp.internal.OpenPgpFixture.pgpMimeSigned;
import static org.mailslot.openpgp.internal.OpenPgpFixture.text;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.testing.peers.Sop;
import org.mailslot.testing.peers.ToolRun;

/** Interop with two Stateless OpenPGP implementations: Sequoia's sqop and PGPainless. */
class SopInteropTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"sqop", "pgpainless-cli"})
    void bothDirections(String program) throws Exception {
        Sop sop = new Sop(program, temp.resolve("sop"));
        Path bobKey = sop.generateKey("<bob@example.org>");
        Path bobCert = sop.extractCert(bobKey);
        OpenPgpFixture mailslot = new OpenPgpFixture(temp.resolve("etc"));
        KeyInfo alice = mailslot.service.generate(address("alice@example.org"));
        Path aliceCert = temp.resolve("alice.asc");
        Files.writeString(aliceCert, mailslot.service.exportPublic(alice.id()).orElseThrow());
        mailslot.service.importKeys(Files.readAllBytes(bobCert), null);

        // Mailslot signs and encrypts; the tool decrypts and verifies.
        byte[] sent = OpenPgpFixture.bytes(mailslot.service.protect(address("alice@example.org"),
                List.of(address("bob@example.org")), Protection.SIGN_AND_ENCRYPT,
                MessageSource.of(message("alice@example.org", "bob@example.org", "Hello " + program + ".\r\n"))));
        byte[] armored = MimeEntity.parse(PgpMessageCrypto.parts(MimeEntity.parse(sent)).get(1)).bodyCopy();
        Sop.Decryption decrypted = sop.decrypt(armored, bobKey, aliceCert);
        assertThat(decrypted.run().succeeded()).as(decrypted.run().describe()).isTrue();
        assertThat(decrypted.run().stdoutText()).endsWith("\r\n\r\nHello " + program + ".\r\n");
        assertThat(decrypted.verifications()).isNotBlank();

        // Mailslot signs only; the tool verifies the detached signature over the first part.
        byte[] signedOnly = OpenPgpFixture.bytes(mailslot.service.protect(address("alice@example.org"), List.of(),
                Protection.SIGN, MessageSource.of(message("alice@example.org", "bob@example.org", "Signed.\r\n"))));
        List<byte[]> parts = PgpMessageCrypto.parts(MimeEntity.parse(signedOnly));
        ToolRun verified = sop.verify(MimeEntity.parse(parts.get(1)).bodyCopy(), parts.get(0), aliceCert);
        assertThat(verified.succeeded()).as(verified.describe()).isTrue();

        // The tool signs and encrypts; Mailslot decrypts and verifies.
        byte[] entity = ("Content-Type: text/plain; charset=us-ascii\r\n\r\nFrom " + program + ".\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] fromTool = sop.encrypt(entity, bobKey, aliceCert);
        OpenedMessage opened = mailslot.service.open(MessageSource.of(pgpMimeEncrypted("bob@example.org",
                "alice@example.org", fromTool)));
        assertThat(opened.decrypted()).isTrue();
        assertThat(opened.verification().status()).as(opened.verification().detail()).isEqualTo(VerificationStatus.VALID);
        assertThat(text(opened.content())).endsWith("\r\n\r\nFrom " + program + ".\r\n");

        // The tool signs detached; Mailslot verifies the PGP/MIME signed message around it.
        byte[] signature = sop.sign(entity, bobKey);
        OpenedMessage signed = mailslot.service.open(MessageSource.of(pgpMimeSigned("bob@example.org", entity, signature)));
        assertThat(signed.verification().status()).as(signed.verification().detail()).isEqualTo(VerificationStatus.VALID);
    }
}
