package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.mail.MessageSource;

/** ARC sets as Mailslot adds them (RFC 8617 section 5.1), checked by Mailslot's own chain verifier. */
class ArcSealerTest {

    static final String FORWARDED = "Received: from client.example.com by relay.example\r\n"
            + "Authentication-Results: other.example; dmarc=pass header.from=example.com\r\n"
            + "Authentication-Results: relay.example;\r\n\tspf=pass smtp.mailfrom=alice@example.com;\r\n\tarc=none\r\n"
            + "From: Alice <alice@example.com>\r\nTo: list@example.net\r\nSubject: forwarded\r\n"
            + "Date: Mon, 07 Dec 2026 12:00:00 +0000\r\nMessage-ID: <arc-seal@example.com>\r\n\r\n"
            + "Hello through a forwarder.\r\n";

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    private static final MapKeyLookup DNS = new MapKeyLookup();
    private static SigningKey relay;
    private static SigningKey nextHop;

    @BeforeAll
    static void keys() throws Exception {
        relay = ArcSealerTestKeys.key(DNS, "relay.example", "arc", DkimAlgorithm.RSA_SHA256);
        nextHop = ArcSealerTestKeys.key(DNS, "next.example", "arc", DkimAlgorithm.RSA_SHA256);
    }

    static ArcSealer.Outcome seal(String message, SigningKey key, String authservId) throws Exception {
        return new ArcSealer(DNS, CLOCK).seal(MessageSource.of(message.getBytes(StandardCharsets.UTF_8)), key, authservId);
    }

    /** The message with the new set on top, as the stage passes it on. */
    static String sealed(String message, SigningKey key, String authservId) throws Exception {
        ArcSealer.Outcome outcome = seal(message, key, authservId);
        assertThat(outcome).isInstanceOf(ArcSealer.Sealed.class);
        return new String(((ArcSealer.Sealed) outcome).fields(), StandardCharsets.UTF_8) + message;
    }

    static ArcVerification verify(String message) throws Exception {
        return new ArcChainVerifier(DNS).verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theFirstSetCopiesOurResultsAndSaysCvNone() throws Exception {
        ArcSealer.Sealed set = (ArcSealer.Sealed) seal(FORWARDED, relay, "relay.example");
        assertThat(set.instance()).isEqualTo(1);
        assertThat(set.cv()).isEqualTo("none");
        String fields = new String(set.fields(), StandardCharsets.US_ASCII);
        assertThat(fields).startsWith("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=relay.example; s=arc; t=1796644800;\r\n\tb=")
                .contains("\r\nARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=relay.example; s=arc;")
                .endsWith("\r\nARC-Authentication-Results: i=1; relay.example;\r\n\tspf=pass smtp.mailfrom=alice@example.com;"
                        + "\r\n\tarc=none\r\n")
                .doesNotContain("other.example");
        assertThat(verify(fields + FORWARDED)).isEqualTo(new ArcVerification(ArcResult.PASS, 1, "relay.example", ""));
    }

    @Test
    void aSecondHopSealsWithCvPass() throws Exception {
        String once = sealed(FORWARDED, relay, "relay.example");
        String twice = sealed("Authentication-Results: next.example; arc=pass\r\n" + once, nextHop, "next.example");
        assertThat(twice).startsWith("ARC-Seal: i=2; cv=pass; a=rsa-sha256; d=next.example;");
        assertThat(verify(twice)).isEqualTo(new ArcVerification(ArcResult.PASS, 2, "next.example", ""));
    }

    @Test
    void aMessageAlteredAfterSealingFails() throws Exception {
        String once = sealed(FORWARDED, relay, "relay.example");
        assertThat(verify(once.replace("Hello through", "Pay this invoice,")).reason()).contains("body hash mismatch");
        assertThat(verify(once.replace("Subject: forwarded", "Subject: urgent")).result()).isEqualTo(ArcResult.FAIL);
        assertThat(verify(once.replace("arc=none\r\n", "arc=none; dkim=pass\r\n")).reason())
                .contains("ARC-Seal i=1: signature does not verify");
    }

    @Test
    void aFailedChainIsSealedOnceWithCvFailOverTheNewSetOnly() throws Exception {
        String broken = sealed(FORWARDED, relay, "relay.example").replace("Hello through", "Changed through");
        String failed = sealed("Authentication-Results: next.example; arc=fail\r\n" + broken, nextHop, "next.example");
        assertThat(failed).startsWith("ARC-Seal: i=2; cv=fail;");
        ArcVerification chain = verify(failed);
        assertThat(chain.result()).isEqualTo(ArcResult.FAIL);
        assertThat(chain.reason()).isEqualTo("ARC-Seal i=2 says cv=fail, not pass");

        // The seal signs its own set alone: changing the first set does not break it.
        ArcSealer.Outcome again = seal("Authentication-Results: relay.example; arc=fail\r\n" + failed, relay, "relay.example");
        assertThat(again).isEqualTo(new ArcSealer.Unsealed("the ARC chain ended: ARC-Seal i=2 says cv=fail"));
    }

    @Test
    void withoutOurResultsNothingIsSealed() throws Exception {
        assertThat(seal(FORWARDED, relay, "mx.elsewhere.example"))
                .isEqualTo(new ArcSealer.Unsealed("no Authentication-Results of mx.elsewhere.example"));
    }

    @Test
    void aKeyLookupWithoutAnswerIsTriedAgainLater() throws Exception {
        String once = sealed(FORWARDED, relay, "relay.example");
        KeyLookup silent = name -> name.endsWith("relay.example") ? KeyAnswer.failed("timed out") : DNS.lookup(name);
        ArcSealer.Outcome outcome = new ArcSealer(silent, CLOCK).seal(MessageSource.of(
                ("Authentication-Results: next.example; arc=pass\r\n" + once).getBytes(StandardCharsets.UTF_8)),
                nextHop, "next.example");
        assertThat(outcome).isInstanceOf(ArcSealer.Retry.class);
        assertThat(((ArcSealer.Retry) outcome).reason()).contains("timed out");
    }

    @Test
    void fiftySetsAreTheEnd() throws Exception {
        String message = FORWARDED;
        for (int i = 1; i <= ArcChainVerifier.MAX_INSTANCES; i++) {
            message = sealed("Authentication-Results: next.example; arc=pass\r\n" + message, nextHop, "next.example");
        }
        assertThat(verify(message)).isEqualTo(new ArcVerification(ArcResult.PASS, 50, "next.example", ""));
        assertThat(seal("Authentication-Results: next.example; arc=pass\r\n" + message, nextHop, "next.example"))
                .isEqualTo(new ArcSealer.Unsealed("the ARC chain has 50 sets, the most there may be"));
    }

    @Test
    void severalFieldsOfOursAreOneResultsField() {
        HeaderSection headers = new HeaderSection(List.of(
                HeaderField.of("Authentication-Results: relay.example; spf=pass smtp.mailfrom=a@example.com".getBytes(StandardCharsets.US_ASCII)),
                HeaderField.of("Authentication-Results: relay.example; dkim=pass header.d=example.com".getBytes(StandardCharsets.US_ASCII)),
                HeaderField.of("Authentication-Results: relay.example; none".getBytes(StandardCharsets.US_ASCII))));
        assertThat(ArcSealer.results(3, headers.fields())).isEqualTo("ARC-Authentication-Results: i=3; relay.example;"
                + " spf=pass smtp.mailfrom=a@example.com;\r\n\tdkim=pass header.d=example.com");
    }
}
