package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.mail.MessageSource;

/** DKIM and ARC from one reading: the same verdicts as the two verifiers give, the message opened once. */
class MessageVerifierTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    private static final MapKeyLookup DNS = new MapKeyLookup();
    private static SigningKey author;
    private static SigningKey relay;

    @BeforeAll
    static void keys() throws Exception {
        author = ArcSealerTestKeys.key(DNS, "example.com", "ed", DkimAlgorithm.ED25519_SHA256);
        relay = ArcSealerTestKeys.key(DNS, "relay.example", "arc", DkimAlgorithm.RSA_SHA256);
    }

    /** Signed by its author, then sealed by a forwarder. */
    private static String signedAndSealed() throws Exception {
        byte[] fields = new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, CLOCK)
                .sign(new ByteArrayInputStream(ArcSealerTest.FORWARDED.getBytes(StandardCharsets.UTF_8)), List.of(author));
        String signed = new String(fields, StandardCharsets.US_ASCII) + ArcSealerTest.FORWARDED;
        return ArcSealerTest.sealed(signed, relay, "relay.example");
    }

    @Test
    void aSignedAndSealedMessagePassesBothFromOneOpening() throws Exception {
        String message = signedAndSealed();
        AtomicInteger opened = new AtomicInteger();
        MessageSignatures result = new MessageVerifier(DNS, CLOCK).verify(counting(message, opened));
        assertThat(opened).hasValue(1);
        assertThat(result.dkim().signatures()).extracting(DkimSignatureResult::domain, DkimSignatureResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("example.com", DkimResult.PASS));
        assertThat(result.arc().result()).isEqualTo(ArcResult.PASS);
        assertThat(result.arc().sealer()).isEqualTo("relay.example");
        assertThat(result).isEqualTo(separately(message));
    }

    @Test
    void anAlteredBodyFailsTheSignatureAndTheChain() throws Exception {
        String message = signedAndSealed().replace("Hello through", "Hello around");
        MessageSignatures result = new MessageVerifier(DNS, CLOCK).verify(source(message));
        assertThat(result.dkim().signatures()).extracting(DkimSignatureResult::result).containsExactly(DkimResult.FAIL);
        assertThat(result.arc().result()).isEqualTo(ArcResult.FAIL);
        assertThat(result.arc().reason()).contains("body hash mismatch");
        assertThat(result).isEqualTo(separately(message));
    }

    @Test
    void aSignedMessageWithoutArcAndAnUnsignedOne() throws Exception {
        byte[] fields = new DkimSigner(Canonicalization.RELAXED, Canonicalization.SIMPLE, CLOCK)
                .sign(new ByteArrayInputStream(ArcSealerTest.FORWARDED.getBytes(StandardCharsets.UTF_8)), List.of(author));
        String signed = new String(fields, StandardCharsets.US_ASCII) + ArcSealerTest.FORWARDED;
        MessageSignatures result = new MessageVerifier(DNS, CLOCK).verify(source(signed));
        assertThat(result.dkim().passedFor("example.com")).isTrue();
        assertThat(result.arc().result()).isEqualTo(ArcResult.NONE);
        assertThat(new MessageVerifier(DNS, CLOCK).verify(source(ArcSealerTest.FORWARDED)))
                .isEqualTo(MessageSignatures.none());
    }

    @Test
    void aBrokenChainIsDecidedWithoutItsBodyAndTheSignatureStillVerified() throws Exception {
        String message = signedAndSealed().replace("ARC-Seal: i=1", "ARC-Seal: i=2");
        MessageSignatures result = new MessageVerifier(DNS, CLOCK).verify(source(message));
        assertThat(result.dkim().passedFor("example.com")).isTrue();
        assertThat(result.arc().result()).isEqualTo(ArcResult.FAIL);
        assertThat(result).isEqualTo(separately(message));
    }

    private static MessageSignatures separately(String message) throws IOException {
        return new MessageSignatures(new Verifier(DNS, CLOCK).verify(source(message)),
                new ArcChainVerifier(DNS).verify(source(message)));
    }

    private static MessageSource source(String message) {
        return MessageSource.of(message.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageSource counting(String message, AtomicInteger opened) {
        return () -> {
            opened.incrementAndGet();
            InputStream in = new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8));
            return in;
        };
    }
}
