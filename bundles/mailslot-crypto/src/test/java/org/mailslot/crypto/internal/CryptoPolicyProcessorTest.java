package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.pipeline.StageNeed;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.osgi.ServiceAtUse;

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
    void directDeliveryMaySkipThePolicyOnlyForRecipientsItLeavesAlone() {
        config.put("rule.partner", "partner.example : encrypt=required");
        config.put("rule.board", "board@example.com : sign=always");
        config.put("rule.maybe", "maybe.example : encrypt=if-possible");
        CryptoPolicyProcessor processor = processor();

        assertThat(processor.needFor(envelope("alice@example.org"))).isEqualTo(StageNeed.notNeeded());
        assertThat(processor.needFor(envelope("bob@partner.example"))).isEqualTo(
                StageNeed.needed("the crypto policy encrypts mail to bob@partner.example (encrypt=required)"));
        assertThat(processor.needFor(envelope("board@example.com"))).isEqualTo(
                StageNeed.needed("the crypto policy signs mail to board@example.com (sign=always)"));
        assertThat(processor.needFor(envelope("carol@maybe.example")).kind()).isEqualTo(StageNeed.Kind.NEEDED);

        config.put("default.encrypt", "sometimes");
        assertThat(processor().needFor(envelope("alice@example.org")).reason()).startsWith("crypto policy org.mailslot.crypto is invalid");
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
        processor(pgp).process(vouchedFor("ops@example.com", "alice@example.org"), message(MESSAGE));

        assertThat(result.isDeferred()).isFalse();
        assertThat(result.envelope()).isEmpty();
        assertThat(FakeCrypto.read(result.message().orElseThrow())).startsWith("Content-Type: multipart/encrypted")
                .contains("X-Fake: pgp ENCRYPT [alice@example.org]").endsWith(MESSAGE);
        // The sender's own key reads the copy only when the sender was vouched for, not on the From field's word.
        assertThat(pgp.calls).containsExactly(
                new FakeCrypto.Call(null, List.of(MailAddress.parse("alice@example.org")), Protection.ENCRYPT, MESSAGE),
                new FakeCrypto.Call(MailAddress.parse("ops@example.com"), List.of(MailAddress.parse("alice@example.org")),
                        Protection.ENCRYPT, MESSAGE));
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
    void theSpoolIsToldWhenACryptoBundleComesOnceTheMailHeldForItCanGo() throws IOException {
        config.put("default.encrypt", "required");
        CryptoPolicyProcessor processor = processor();
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org");
        List<WaitReason> told = new ArrayList<>();
        List<ProcessingResult> attemptsWhenTold = new ArrayList<>();
        processor.wakeups = Runnable::run;
        processor.pipeline = ServiceAtUse.fixed(new OutboundPipeline() {
            @Override
            public List<RequiredStage> requiredFor(Envelope envelope) {
                return List.of();
            }

            @Override
            public void arrived(WaitReason reason) {
                told.add(reason);
                try {
                    attemptsWhenTold.add(processor.process(envelope("alice@example.org"), message(MESSAGE)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        assertThat(processor.process(envelope("alice@example.org"), message(MESSAGE)).waitReason())
                .contains(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);

        processor.bindCrypto(pgp, pgp.properties());

        assertThat(told).containsExactly(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
        assertThat(attemptsWhenTold).singleElement().satisfies(attempt -> assertThat(attempt.isDeferred()).isFalse());
        processor.unbindCrypto(pgp, pgp.properties());
        assertThat(told).as("a bundle going away wakes nothing").hasSize(1);
    }

    @Test
    void mixedRecipientsGoInOneAttemptEachGroupWithACopyOfItsOwn() throws IOException {
        config.put("rule.secret", "example.org : encrypt=required");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org", "bob@example.org");
        CryptoPolicyProcessor processor = processor(pgp);

        String toAll = MESSAGE.replace("To: <alice@example.org>", "To: <alice@example.org>, carol@example.net, bob@example.org");
        ProcessingResult result = processor.process(envelope("alice@example.org", "carol@example.net", "bob@example.org"),
                message(toAll));

        assertThat(result.copies()).hasSize(2);
        ProcessingResult.Copy encrypted = result.copies().get(0);
        ProcessingResult.Copy clear = result.copies().get(1);
        assertThat(addresses(encrypted.envelope())).containsExactly("alice@example.org", "bob@example.org");
        assertThat(FakeCrypto.read(encrypted.message())).contains("pgp ENCRYPT [alice@example.org, bob@example.org]");
        assertThat(addresses(clear.envelope())).containsExactly("carol@example.net");
        assertThat(FakeCrypto.read(clear.message())).isEqualTo(toAll);
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
    void signingUsesTheFromAddressWhenTheSubmitterWasVouchedForAsIt() throws IOException {
        config.put("default.sign", "always");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ops@example.com");

        ProcessingResult result = processor(pgp).process(vouchedFor("ops@example.com", "alice@example.org"), message(MESSAGE));

        assertThat(result.message()).isPresent();
        assertThat(pgp.calls).singleElement().satisfies(call -> {
            assertThat(call.sender()).isEqualTo(MailAddress.parse("ops@example.com"));
            assertThat(call.protection()).isEqualTo(Protection.SIGN);
        });
    }

    @Test
    void aForgedFromIsSignedByNoOneNeverSentUnsignedAndRefused() throws IOException {
        config.put("default.sign", "always");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ceo@example.com", "mallory@example.com");
        String forged = "From: The CEO <ceo@example.com>\r\nTo: <alice@example.org>\r\nSubject: wire the money\r\n\r\nnow\r\n";
        CryptoPolicyProcessor processor = processor(pgp);

        ProcessingResult byAnotherUser = processor.process(vouchedFor("mallory@example.com", "alice@example.org"),
                message(forged));
        ProcessingResult byAnyone = processor.process(envelope("alice@example.org"), message(forged));

        assertThat(byAnotherUser.isRefused()).as("no key that may come would make it right").isTrue();
        assertThat(byAnotherUser.refusalCode()).contains("5.7.1");
        assertThat(byAnyone.isRefused()).isTrue();
        assertThat(byAnotherUser.reason().orElseThrow()).contains("signing required for alice@example.org: not signed as anyone, because"
                + " the From field names <ceo@example.com>, but the submitter was vouched for as <mallory@example.com>");
        assertThat(byAnyone.reason().orElseThrow()).contains("signing required for alice@example.org: not signed as anyone, because"
                + " the From field names <ceo@example.com>, but nobody vouched for the submitter (no authenticated sender)");
        assertThat(pgp.calls).isEmpty();
    }

    @Test
    void theSendCommandsSignRequestFromAForgerIsRefusedToo() throws IOException {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ceo@example.com");
        String forged = "Mailslot-Protect: sign\r\nFrom: <ceo@example.com>\r\nTo: <alice@example.org>\r\n\r\nnow\r\n";

        ProcessingResult result = processor(pgp).process(envelope("alice@example.org"), message(forged));

        assertThat(result.reason().orElseThrow()).contains("not signed as anyone, because the From field names <ceo@example.com>");
        assertThat(pgp.calls).isEmpty();
    }

    @Test
    void aFromFieldThatIsNotOneMailboxIsSignedByNoOne() throws IOException {
        config.put("default.sign", "always");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ops@example.com", "ceo@example.com");
        CryptoPolicyProcessor processor = processor(pgp);
        Envelope envelope = vouchedFor("ops@example.com", "alice@example.org");

        ProcessingResult two = processor.process(envelope,
                message("From: Ops <ops@example.com>, CEO <ceo@example.com>\r\nSender: ops@example.com\r\n\r\nhi\r\n"));
        ProcessingResult twice = processor.process(envelope,
                message("From: ops@example.com\r\nFrom: ceo@example.com\r\n\r\nhi\r\n"));
        ProcessingResult none = processor.process(envelope, message("Subject: no from\r\n\r\nhi\r\n"));
        ProcessingResult garbled = processor.process(envelope, message("From: ops@example.com <ceo@example.com\r\n\r\nhi\r\n"));

        assertThat(two.reason().orElseThrow()).contains("because the From field holds 2 mailboxes, not one");
        assertThat(twice.reason().orElseThrow()).contains("because the message has 2 From fields");
        assertThat(none.reason().orElseThrow()).contains("because the message has no From field");
        assertThat(garbled.reason().orElseThrow()).contains("because the From field does not parse");
        assertThat(pgp.calls).isEmpty();
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
    void aMessageItsAuthorEncryptedPassesAsItIsEvenWithoutTheTechnology() throws Exception {
        config.put("default.encrypt", "required");
        config.put("default.sign", "always");
        CryptoPolicyProcessor processor = processor();

        for (String encrypted : List.of(RealMessages.pgpEncrypted(false), RealMessages.pgpEncrypted(true),
                RealMessages.cmsEncrypted(false), RealMessages.cmsEncrypted(true))) {
            assertThat(processor.process(envelope("alice@example.org"), message(encrypted))).isSameAs(ProcessingResult.proceed());
        }
        ProcessingResult requested = processor.process(envelope("alice@example.org"),
                message("Mailslot-Protect: encrypt\r\n" + RealMessages.pgpEncrypted(false)));
        assertThat(FakeCrypto.read(requested.message().orElseThrow())).startsWith(RealMessages.HEADERS)
                .doesNotContain("Mailslot-Protect");
    }

    @Test
    void plaintextOnlyLabelledEncryptedIsProtectedAsThePolicySays() throws IOException {
        config.put("default.encrypt", "required");
        String labelled = "From: ops@example.com\r\nContent-Type: multipart/encrypted;\r\n"
                + " protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n";
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org");

        ProcessingResult withoutKey = processor().process(envelope("alice@example.org"), message(labelled));
        ProcessingResult withKey = processor(pgp).process(envelope("alice@example.org"), message(labelled));

        assertThat(withoutKey.reason()).contains("encryption required for alice@example.org: mailslot-openpgp not available");
        assertThat(withKey.message()).isPresent();
        assertThat(pgp.calls).singleElement().satisfies(call -> {
            assertThat(call.protection()).isEqualTo(Protection.ENCRYPT);
            assertThat(call.content()).isEqualTo(labelled);
        });
    }

    @Test
    void aMessageOnlyLabelledSignedIsSignedAsThePolicySays() throws IOException {
        config.put("default.sign", "always");
        String labelled = "From: ops@example.com\r\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\";"
                + " boundary=s\r\n\r\n--s\r\nhi\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\ntrust me\r\n--s--\r\n";
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ops@example.com");

        processor(pgp).process(vouchedFor("ops@example.com", "alice@example.org"), message(labelled));

        assertThat(pgp.calls).extracting(FakeCrypto.Call::protection).containsExactly(Protection.SIGN);
    }

    @Test
    void aBccRecipientGetsACopyOfTheirOwnSoTheOthersNeverSeeTheirKey() throws IOException {
        config.put("default.encrypt", "required");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP)
                .withKeys("alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org");
        String message = "From: ops@example.com\r\nTo: Alice <alice@example.org>\r\nCc: team: bob@example.org;\r\n\r\nhi\r\n";
        CryptoPolicyProcessor processor = processor(pgp);

        ProcessingResult result = processor.process(
                envelope("carol@example.org", "alice@example.org", "dave@example.org", "bob@example.org"), message(message));

        assertThat(result.copies()).extracting(copy -> addresses(copy.envelope())).containsExactly(
                List.of("carol@example.org"), List.of("alice@example.org", "bob@example.org"), List.of("dave@example.org"));
        assertThat(pgp.calls).extracting(call -> call.recipients().stream().map(MailAddress::toString).toList())
                .containsExactly(List.of("carol@example.org"), List.of("alice@example.org", "bob@example.org"),
                        List.of("dave@example.org"));
        // Each copy names only the keys of its own recipients.
        assertThat(FakeCrypto.read(result.copies().get(0).message())).contains("ENCRYPT [carol@example.org] signer");
        assertThat(FakeCrypto.read(result.copies().get(1).message()))
                .contains("ENCRYPT [alice@example.org, bob@example.org] signer");
        assertThat(FakeCrypto.read(result.copies().get(2).message())).contains("ENCRYPT [dave@example.org] signer");
    }

    @Test
    void signedOnlyCopiesAreSharedWithBccRecipients() throws IOException {
        config.put("default.sign", "always");
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys("ops@example.com");

        ProcessingResult result = processor(pgp).process(vouchedFor("ops@example.com", "alice@example.org", "hidden@example.org"),
                message(MESSAGE));

        assertThat(result.envelope()).isEmpty();
        assertThat(pgp.calls).hasSize(1);
    }

    @Test
    void theSendCommandsRequestRaisesThePolicyAndIsRemoved() throws IOException {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys("alice@example.org").withSigningKeys("ops@example.com");
        String requested = "Mailslot-Protect: encrypt,\r\n sign\r\n" + MESSAGE;

        ProcessingResult result = processor(pgp).process(vouchedFor("ops@example.com", "alice@example.org"),
                message(requested));

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

    private static Envelope vouchedFor(String sender, String... recipients) {
        return envelope(recipients).toBuilder().authenticatedSender(MailAddress.parse(sender)).build();
    }

    private static MessageSource message(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> addresses(Envelope envelope) {
        return envelope.recipients().stream().map(Recipient::address).map(MailAddress::toString).toList();
    }
}
