package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.mail.MessageSource;

/** RFC 8463 Appendix A: the message signed with both an Ed25519 and an RSA key, and its key records. */
class RfcVectorsTest {

    static byte[] rfc8463Message() throws Exception {
        try (InputStream in = RfcVectorsTest.class.getResourceAsStream("/rfc8463/signed.eml")) {
            return in.readAllBytes();
        }
    }

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1528637909L + 60), ZoneOffset.UTC);

    @Test
    void bothSignaturesOfRfc8463AppendixAPass() throws Exception {
        DkimVerification verification = new Verifier(MapKeyLookup.rfc8463(), clock)
                .verify(MessageSource.of(rfc8463Message()));

        assertThat(verification.signatures()).extracting(DkimSignatureResult::result, DkimSignatureResult::algorithm,
                DkimSignatureResult::selector, DkimSignatureResult::domain).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DkimResult.PASS,
                                java.util.Optional.of(DkimAlgorithm.ED25519_SHA256), "brisbane", "football.example.com"),
                        org.assertj.core.groups.Tuple.tuple(DkimResult.PASS,
                                java.util.Optional.of(DkimAlgorithm.RSA_SHA256), "test", "football.example.com"));
        assertThat(verification.passedFor("Football.Example.com")).isTrue();
    }

    /**
     * RFC 6376 Appendix A.2 with its key from A.3, as corrected by erratum 3192 (the body has one space
     * after "game.", not two: with two the published bh= does not match).
     */
    @Test
    void theRsaExampleOfRfc6376AppendixAPassesAsCorrectedByErratum3192() throws Exception {
        byte[] message;
        try (InputStream in = RfcVectorsTest.class.getResourceAsStream("/rfc6376/signed.eml")) {
            message = in.readAllBytes();
        }
        DkimVerification verification = new Verifier(MapKeyLookup.fromResource("/rfc6376/keys.txt"), clock)
                .verify(MessageSource.of(message));
        assertThat(verification.signatures()).extracting(DkimSignatureResult::result, DkimSignatureResult::domain,
                DkimSignatureResult::selector).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DkimResult.PASS, "example.com", "brisbane"));
    }

    @Test
    void aChangedBodyFailsBothOnTheBodyHash() throws Exception {
        byte[] altered = new String(rfc8463Message(), StandardCharsets.ISO_8859_1).replace("We lost", "We won")
                .getBytes(StandardCharsets.ISO_8859_1);
        DkimVerification verification = new Verifier(MapKeyLookup.rfc8463(), clock).verify(MessageSource.of(altered));
        assertThat(verification.signatures()).allSatisfy(s -> {
            assertThat(s.result()).isEqualTo(DkimResult.FAIL);
            assertThat(s.reason()).isEqualTo("body hash mismatch");
        });
    }

    @Test
    void aChangedSignedHeaderFails() throws Exception {
        byte[] altered = new String(rfc8463Message(), StandardCharsets.ISO_8859_1)
                .replace("Subject: Is dinner ready?", "Subject: Is lunch ready?").getBytes(StandardCharsets.ISO_8859_1);
        DkimVerification verification = new Verifier(MapKeyLookup.rfc8463(), clock).verify(MessageSource.of(altered));
        assertThat(verification.signatures()).allSatisfy(s -> {
            assertThat(s.result()).isEqualTo(DkimResult.FAIL);
            assertThat(s.reason()).isEqualTo("signature does not verify");
        });
    }

    @Test
    void anAddedFromFailsBecauseFromIsOversigned() throws Exception {
        byte[] altered = new String(rfc8463Message(), StandardCharsets.ISO_8859_1)
                .replace("Message-ID:", "From: ceo@football.example.com\r\nMessage-ID:")
                .getBytes(StandardCharsets.ISO_8859_1);
        DkimVerification verification = new Verifier(MapKeyLookup.rfc8463(), clock).verify(MessageSource.of(altered));
        assertThat(verification.signatures()).extracting(DkimSignatureResult::result)
                .containsOnly(DkimResult.FAIL);
    }

    @Test
    void aMissingOrRevokedKeyIsAPermanentError() throws Exception {
        MapKeyLookup keys = MapKeyLookup.rfc8463();
        keys.records.remove("test._domainkey.football.example.com");
        keys.with("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=");
        DkimVerification verification = new Verifier(keys, clock).verify(MessageSource.of(rfc8463Message()));
        assertThat(verification.signatures()).extracting(DkimSignatureResult::result, DkimSignatureResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DkimResult.PERMERROR, "key revoked (empty p=)"),
                        org.assertj.core.groups.Tuple.tuple(DkimResult.PERMERROR,
                                "no key record at test._domainkey.football.example.com"));
    }

    @Test
    void aLookupThatGotNoAnswerIsATemporaryError() throws Exception {
        Verifier verifier = new Verifier(name -> KeyAnswer.failed("key lookup for " + name + " failed: timed out"), clock);
        assertThat(verifier.verify(MessageSource.of(rfc8463Message())).signatures())
                .extracting(DkimSignatureResult::result).containsOnly(DkimResult.TEMPERROR);
    }
}
