package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.retrieval.RetrievedMessage;

class CryptoInboundProcessorTest {

    private static final String PGP_MIME = "From: alice@example.org\r\nContent-Type: multipart/encrypted;\r\n"
            + "\tprotocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n";
    private static final String SMIME = "From: alice@example.org\r\nContent-Type: application/pkcs7-mime;"
            + " smime-type=authEnveloped-data; name=smime.p7m\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQ\r\n";

    @Test
    void anUnprotectedMessagePassesAsItIs() throws IOException {
        RetrievedMessage message = retrieved("From: a@b.example\r\nContent-Type: text/plain\r\n\r\nhi\r\n");

        assertThat(processor(new FakeCrypto(CryptoTechnology.PGP)).process(message)).isSameAs(message);
    }

    @Test
    void aPgpMimeMessageIsOpenedByPgp() throws IOException {
        RetrievedMessage opened = processor(new FakeCrypto(CryptoTechnology.SMIME), new FakeCrypto(CryptoTechnology.PGP))
                .process(retrieved(PGP_MIME));

        assertThat(opened.opened()).hasValueSatisfying(result -> assertThat(result.decrypted()).isTrue());
        assertThat(FakeCrypto.read(opened.content())).startsWith("Subject: opened by pgp");
        assertThat(opened.openFailure()).isEmpty();
    }

    @Test
    void anSmimeMessageIsOpenedBySmime() throws IOException {
        RetrievedMessage opened = processor(new FakeCrypto(CryptoTechnology.PGP), new FakeCrypto(CryptoTechnology.SMIME))
                .process(retrieved(SMIME));

        assertThat(FakeCrypto.read(opened.content())).startsWith("Subject: opened by smime");
    }

    @Test
    void aMessageThatCannotBeOpenedIsHandedOnProtectedWithTheReason() throws IOException {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP);
        pgp.openFailure = new CryptoException(CryptoException.Reason.INTEGRITY_FAILURE, "MDC mismatch");
        RetrievedMessage message = retrieved(PGP_MIME);

        RetrievedMessage result = processor(pgp).process(message);

        assertThat(result.content()).isSameAs(message.content());
        assertThat(result.opened()).isEmpty();
        assertThat(result.openFailure()).contains("integrity failure: MDC mismatch");
    }

    @Test
    void withoutTheTechnologysBundleRetrievalIsToldToTryAgain() {
        assertThatIOException().isThrownBy(() -> processor(new FakeCrypto(CryptoTechnology.SMIME)).process(retrieved(PGP_MIME)))
                .withMessageContaining("protected with pgp and mailslot-openpgp is not available");
    }

    @Test
    void anUnexpectedFailureHandsTheMessageOnStillProtected() throws IOException {
        FakeCrypto smime = new FakeCrypto(CryptoTechnology.SMIME);
        smime.openBug = new IllegalStateException("bug");
        RetrievedMessage message = retrieved(SMIME);

        RetrievedMessage result = processor(smime).process(message);

        assertThat(result.content()).isSameAs(message.content());
        assertThat(result.openFailure()).contains("internal error: java.lang.IllegalStateException: bug");
    }

    @Test
    void aMessageAlreadyOpenedIsNotOpenedAgain() throws IOException {
        RetrievedMessage opened = processor(new FakeCrypto(CryptoTechnology.PGP)).process(retrieved(PGP_MIME));

        assertThat(processor(new FakeCrypto(CryptoTechnology.PGP)).process(opened)).isSameAs(opened);
    }

    private static CryptoInboundProcessor processor(FakeCrypto... present) {
        CryptoInboundProcessor processor = new CryptoInboundProcessor();
        for (FakeCrypto crypto : present) {
            processor.bindCrypto(crypto, crypto.properties());
        }
        return processor;
    }

    private static RetrievedMessage retrieved(String text) {
        return RetrievedMessage.fetched("work", "INBOX", "1/7", Instant.EPOCH,
                MessageSource.of(text.getBytes(StandardCharsets.UTF_8)));
    }
}
