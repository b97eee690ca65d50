package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.transport.MessageSource;

class CryptoPolicyProcessorTest {

    private static final String MESSAGE = "From: Ops Team <ops@example.com>\r\nTo: <alice@example.org>\r\n"
            + "Subject: plans\r\n\r\nthe plans\r\n";

    private final Map<String, Object> config = new HashMap<>();

    @Test
    void withoutConfigurationMessagesPassUnchanged() throws IOException {
        CryptoPolicyProcessor processor = new CryptoPolicyProcessor(Map.of());

        assertThat(processor.process(envelope("alice@example.org"), message(MESSAGE))).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void requiredEncryptionWithoutTheBundleIsDeferredNamingIt() throws IOException {
        config.put("rule.partner", "example.org : encrypt=required");

        ProcessingResult result = processor().process(envelope("alice@example.org"), message(MESSAGE));

        assertThat(result.reason()).contains("encryption required for alice@example.org: mailslot-openpgp not available");
    }

    @Test
    void requiredEncryptionWithoutAKeyIsDeferredNamingIt() throws IOException {
        config.put("default.encrypt", "required");

        ProcessingResult result = processor(new FakeCrypto(CryptoTechnology.PGP)).process(envelope("alice@example.org"),
                message(MESSAGE));

        assertThat(result.reason()).contains("encryption required for alice@example.org: no pgp key");
    }

    @Test
    void requiredEncryptionWithAKeyProceedsWithTheProtectedMessage() throws IOException {
        config.put("default.encrypt", "required");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org");

        ProcessingResult result = processor(pgp).process(envelope("alice@example.org"), message(MESSAGE));

        assertThat(result.isDeferred()).isFalse();
        assertThat(result.envelope()).isEmpty();
        assertThat(FakeCrypto.read(result.message().orElseThrow())).startsWith("Content-Type: multipart/encrypted")
                .contains("X-Fake: pgp ENCRYPT [alice@example.org]").endsWith(MESSAGE);
        assertThat(pgp.calls).containsExactly(new FakeCrypto.Call(MailAddress.parse("ops@example.com"),
                List.of(MailAddress.parse("alice@example.org")), Protection.ENCRYPT, MESSAGE));
    }

    @Test
    void theBundleComingBackLetsTheNextAttemptThrough() throws IOException {
        config.put("default.encrypt", "required");
        CryptoPolicyProcessor processor = processor();
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org");
        Map<String, Object> properties = pgp.properties();

        assertThat(processor.process(envelope("alice@example.org"), message(MESSAGE)).isDeferred()).isTrue();
        processor.bindCrypto(pgp, properties);
        assertThat(processor.process(envelope("alice@example.org"), message(MESSAGE)).message()).isPresent();
        processor.unbindCrypto(pgp, properties);
        assertThat(processor.process(envelope("alice@example.org"), message(MESSAGE)).reason())
                .contains("encryption required for alice@example.org: mailslot-openpgp not available");
    }

    @Test
    void mixedRecipientsGoOneGroupPerAttemptAndEachGroupGetsItsOwnCopy() throws IOException {
        config.put("rule.secret", "example.org : encrypt=required");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org", "bob@example.org");
        CryptoPolicyProcessor processor = processor(pgp);

        ProcessingResult first = processor.process(envelope("alice@example.org", "carol@example.net", "bob@example.org"),
                message(MESSAGE));
        ProcessingResult second = processor.process(envelope("carol@example.net"), message(MESSAGE));

        assertThat(addresses(first.envelope().orElseThrow())).containsExactly("alice@example.org", "bob@example.org");
        assertThat(FakeCrypto.read(first.message().orElseThrow())).contains("pgp ENCRYPT [alice@example.org, bob@example.org]");
        assertThat(second).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void heldRecipientsDoNotHoldBackTheOthers() throws IOException {
        config.put("rule.secret", "alice@example.org : encrypt=required");

        ProcessingResult result = processor(new FakeCrypto(CryptoTechnology.PGP))
                .process(envelope("alice@example.org", "carol@example.net"), message(MESSAGE));

        assertThat(addresses(result.envelope().orElseThrow())).containsExactly("carol@example.net");
        assertThat(result.message()).isEmpty();
    }

    @Test
    void everyHeldRecipientIsNamed() throws IOException {
        config.put("default.encrypt", "required");

        ProcessingResult result = processor().process(envelope("a@example.org", "b@example.org"), message(MESSAGE));

        assertThat(result.reason()).contains("encryption required for a@example.org: mailslot-openpgp not available;"
                + " encryption required for b@example.org: mailslot-openpgp not available");
    }

    @Test
    void signingUsesTheFromAddressAndElseTheReversePath() throws IOException {
        config.put("default.sign", "always");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ops@example.com", "bounces@example.com");
        CryptoPolicyProcessor processor = processor(pgp);

        processor.process(envelope("alice@example.org"), message(MESSAGE));
        processor.process(envelope("alice@example.org"), message("Subject: no from\r\n\r\nhi\r\n"));

        assertThat(pgp.calls).extracting(call -> call.sender().toString(), FakeCrypto.Call::protection)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops@example.com", Protection.SIGN),
                        org.assertj.core.groups.Tuple.tuple("bounces@example.com", Protection.SIGN));
    }

    @Test
    void ifPossibleSendsInClearWithoutAKeyOrBundle() throws IOException {
        config.put("default.encrypt", "if-possible");

        assertThat(processor().process(envelope("alice@example.org"), message(MESSAGE)))
                .isSameAs(ProcessingResult.proceed());
        assertThat(processor(new FakeCrypto(CryptoTechnology.SMIME)).process(envelope("alice@example.org"), message(MESSAGE)))
                .isSameAs(ProcessingResult.proceed());
    }

    @Test
    void aMessageItsAuthorEncryptedPassesAsItIs() throws IOException {
        config.put("default.encrypt", "required");
        String encrypted = "From: ops@example.com\r\nContent-Type: multipart/encrypted;\r\n"
                + " protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n";

        assertThat(processor().process(envelope("alice@example.org"), message(encrypted))).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void theSendCommandsRequestRaisesThePolicyAndIsRemoved() throws IOException {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org").withSigningKeys("ops@example.com");
        String requested = "Mailslot-Protect: encrypt,\r\n sign\r\n" + MESSAGE;

        ProcessingResult result = processor(pgp).process(envelope("alice@example.org"), message(requested));

        assertThat(result.message()).isPresent();
        assertThat(pgp.calls).singleElement().satisfies(call -> {
            assertThat(call.protection()).isEqualTo(Protection.SIGN_AND_ENCRYPT);
            assertThat(call.content()).isEqualTo(MESSAGE);
        });
    }

    @Test
    void theRequestIsRemovedWhenNothingIsApplied() throws IOException {
        config.put("default.encrypt", "if-possible");
        String requested = "Mailslot-Protect: nothing-known\r\n" + MESSAGE;

        ProcessingResult result = processor().process(envelope("alice@example.org"), message(requested));

        assertThat(FakeCrypto.read(result.message().orElseThrow())).isEqualTo(MESSAGE);
    }

    @Test
    void aRequestForEncryptionIsHeldLikeARequirement() throws IOException {
        String requested = "Mailslot-Protect: encrypt\r\n" + MESSAGE;

        ProcessingResult result = processor().process(envelope("alice@example.org"), message(requested));

        assertThat(result.reason()).contains("encryption required for alice@example.org: mailslot-openpgp not available");
    }

    @Test
    void anExceptionFromACryptoServiceHoldsTheMessage() throws IOException {
        config.put("default.encrypt", "if-possible");
        FakeCrypto broken = new FakeCrypto(CryptoTechnology.PGP);
        broken.failure = new IllegalStateException("key store unreadable");

        ProcessingResult result = processor(broken).process(envelope("alice@example.org"), message(MESSAGE));

        assertThat(result.reason()).contains("crypto policy failed: java.lang.IllegalStateException: key store unreadable");
    }

    @Test
    void aFailureToProtectHoldsTheMessage() throws IOException {
        config.put("default.encrypt", "required");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org");
        pgp.protectFailure = new CryptoException(CryptoException.Reason.NO_KEY, "the key expired a moment ago");

        ProcessingResult result = processor(pgp).process(envelope("alice@example.org"), message(MESSAGE));

        assertThat(result.reason()).contains("encrypt with pgp failed for alice@example.org: no key: the key expired a moment ago");
    }

    @Test
    void anInvalidConfigurationHoldsEverythingUntilItIsFixed() throws IOException {
        config.put("rule.x", "example.org : encrypt=sometimes");
        CryptoPolicyProcessor processor = processor();

        ProcessingResult held = processor.process(envelope("carol@example.net"), message(MESSAGE));
        processor.configure(Map.of("rule.x", "example.org : encrypt=if-possible"));
        ProcessingResult fixed = processor.process(envelope("carol@example.net"), message(MESSAGE));

        assertThat(held.reason()).contains("crypto policy org.mailslot.crypto is invalid: rule.x: 'sometimes' is not an"
                + " encryption rule (never, if-possible, required)");
        assertThat(fixed).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void anUnreadableMessageIsAnIoExceptionSoTheSpoolDefersIt() {
        config.put("default.encrypt", "required");
        MessageSource unreadable = () -> {
            throw new IOException("disk gone");
        };

        org.assertj.core.api.Assertions.assertThatIOException()
                .isThrownBy(() -> processor().process(envelope("alice@example.org"), unreadable)).withMessage("disk gone");
    }

    private CryptoPolicyProcessor processor(FakeCrypto... present) {
        CryptoPolicyProcessor processor = new CryptoPolicyProcessor(config);
        for (FakeCrypto crypto : present) {
            processor.bindCrypto(crypto, crypto.properties());
        }
        return processor;
    }

    private static Envelope envelope(String... recipients) {
        Envelope.Builder builder = Envelope.builder().from("bounces@example.com");
        for (String recipient : recipients) {
            builder.to(recipient);
        }
        return builder.build();
    }

    private static MessageSource message(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> addresses(Envelope envelope) {
        return envelope.recipients().stream().map(Recipient::address).map(MailAddress::toString).toList();
    }
}
