package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.auth.AuthVerdict;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.mail.MessageSource;

/** The Authentication-Results field (RFC 8601), the verdicts, and the removal of forged fields. */
class AuthenticationResultsTest {

    private static final String ID = "mx.receiver.example";

    private static SenderChecks checks(MapDns dns, List<DkimSignatureResult> signatures, boolean enforce) throws Exception {
        return new SenderChecks(dns, PublicSuffixList.parse(new StringReader("com\norg\n")),
                message -> new MessageSignatures(new DkimVerification(signatures), new ArcVerification(ArcResult.NONE, 0, "", "")), ID, enforce, () -> 0);
    }

    private static MessageSource message(String from) {
        // The checkers are stand-ins; the field makes the checks ask them.
        return MessageSource.of(("DKIM-Signature: v=1; d=example.com; s=ed1\r\nFrom: " + from
                + "\r\nSubject: hi\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void oneFieldWithEveryResult() throws Exception {
        MapDns dns = new MapDns().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DkimSignatureResult signature = new DkimSignatureResult("example.com", "ed1", Optional.of(DkimAlgorithm.ED25519_SHA256),
                null, DkimResult.FAIL, "body hash mismatch", "Yx3kOq8b");
        SenderAuthentication result = checks(dns, List.of(signature), true).authenticate(
                Optional.of(InetAddress.getByName("192.0.2.7")), "client", "alice@example.com", message("<alice@example.com>"));
        assertEquals("Authentication-Results: mx.receiver.example;\r\n"
                + "\tspf=pass ('ip4:192.0.2.0/24' in the record of example.com) smtp.mailfrom=alice@example.com;\r\n"
                + "\tspf=none ('client' is not a domain SPF can check) smtp.helo=client;\r\n"
                + "\tdkim=fail (ed25519-sha256, body hash mismatch) header.d=example.com header.s=ed1 header.b=Yx3kOq8b;\r\n"
                + "\tarc=none;\r\n"
                + "\tdmarc=pass (p=reject dis=none, SPF aligned with example.com) header.from=example.com\r\n",
                result.headerFields());
        assertEquals(AuthVerdict.ACCEPT, result.verdict());
    }

    @Test
    void valuesFromTheMessageCannotAddResults() throws Exception {
        DkimSignatureResult forged = new DkimSignatureResult("x.example; dmarc=pass", "s", Optional.empty(), "rsa-sha1",
                DkimResult.NEUTRAL, "unknown algorithm (x)\r\nX-Evil: 1", "");
        String field = checks(new MapDns(), List.of(forged), true).authenticate(Optional.empty(), "", "",
                message("a@example.com")).headerFields();
        assertTrue(field.contains("dkim=neutral (rsa-sha1, unknown algorithm \\(x\\)??X-Evil: 1) header.d=\"x.example; dmarc=pass\""), field);
        assertEquals(1, field.lines().filter(line -> line.startsWith("\tdmarc=")).count(), field);
        assertFalse(field.contains("\r\nX-Evil"), field);
    }

    @Test
    void verdictsFollowTheDispositionWhenEnforced() throws Exception {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject").txt("_dmarc.example.org", "v=DMARC1; p=quarantine")
                .failing("_dmarc.slow.com");
        Optional<InetAddress> client = Optional.of(InetAddress.getByName("192.0.2.7"));
        SenderChecks enforcing = checks(dns, List.of(), true);
        assertEquals(AuthVerdict.REJECT, enforcing.authenticate(client, "h.example.net", "a@example.com", message("a@example.com")).verdict());
        SenderAuthentication quarantined = enforcing.authenticate(client, "h.example.net", "a@example.org", message("a@example.org"));
        assertEquals(AuthVerdict.QUARANTINE, quarantined.verdict());
        assertTrue(quarantined.headerFields().endsWith("\r\nX-Mailslot-Quarantine: DMARC policy of example.org\r\n"));
        assertEquals(AuthVerdict.DEFER, enforcing.authenticate(client, "h.example.net", "a@slow.com", message("a@slow.com")).verdict());

        SenderChecks reporting = checks(dns, List.of(), false);
        assertEquals(AuthVerdict.ACCEPT, reporting.authenticate(client, "h.example.net", "a@example.com", message("a@example.com")).verdict());
        assertEquals(AuthVerdict.DEFER, reporting.authenticate(client, "h.example.net", "a@slow.com", message("a@slow.com")).verdict());
    }

    @Test
    void twoFromFieldsArePermerror() throws Exception {
        SenderAuthentication result = checks(new MapDns(), List.of(), true).authenticate(Optional.empty(), "", "",
                MessageSource.of("From: a@example.com\r\nFrom: b@example.org\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(result.headerFields().contains("dmarc=permerror (the message has 2 From fields)"), result.headerFields());
        assertEquals(AuthVerdict.ACCEPT, result.verdict());
    }

    @Test
    void recognizesFieldsThatClaimTheAuthservId() {
        assertTrue(AuthenticationResultsField.claims("mx.receiver.example; spf=pass smtp.mailfrom=a@b.example", ID));
        assertTrue(AuthenticationResultsField.claims(" (forged) MX.Receiver.Example.; dkim=pass", ID));
        assertTrue(AuthenticationResultsField.claims("mx.receiver.example 1; none", ID));
        assertFalse(AuthenticationResultsField.claims("mx.receiver.example.evil; dkim=pass", ID));
        assertFalse(AuthenticationResultsField.claims("other.example; spf=pass", ID));
    }

    @Test
    void removesOnlyForgedFieldsOfTheHeader() throws Exception {
        String message = "Authentication-Results: mx.receiver.example;\r\n\tdmarc=pass header.from=bank.example\r\n"
                + "Authentication-Results: upstream.example; spf=pass\r\nFrom: a@bank.example\r\n\r\n"
                + "Authentication-Results: mx.receiver.example; in the body stays\r\n";
        byte[] cleaned = checks(new MapDns(), List.of(), true).withoutClaimedResults(message.getBytes(StandardCharsets.US_ASCII));
        assertEquals("Authentication-Results: upstream.example; spf=pass\r\nFrom: a@bank.example\r\n\r\n"
                + "Authentication-Results: mx.receiver.example; in the body stays\r\n", new String(cleaned, StandardCharsets.US_ASCII));
        byte[] clean = "From: a@bank.example\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        assertSame(clean, checks(new MapDns(), List.of(), true).withoutClaimedResults(clean));
        String spaced = "authentication-results  : mx.receiver.example; dkim=pass\r\nFrom: a@bank.example\r\n\r\nx\r\n";
        assertEquals("From: a@bank.example\r\n\r\nx\r\n", new String(checks(new MapDns(), List.of(), true)
                .withoutClaimedResults(spaced.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII));
    }

    @Test
    void mailWithoutSignatureOrArcFieldsIsNoneWithoutAskingTheVerifiers() throws Exception {
        SenderChecks checks = new SenderChecks(new MapDns(), PublicSuffixList.parse(new StringReader("com\n")),
                message -> {
                    throw new AssertionError("DKIM and ARC verification of a message without their fields");
                }, ID, true, () -> 0);
        SenderAuthentication result = checks.authenticate(Optional.empty(), "", "", MessageSource.of(
                "From: a@example.com\r\nSubject: hi\r\n\r\nDKIM-Signature: in the body\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(result.dkim().unsigned());
        assertEquals(ArcResult.NONE, result.arc().result());
        assertTrue(result.headerFields().contains("\tdkim=none;\r\n\tarc=none;"), result.headerFields());
    }

    @Test
    void anArcFieldAloneIsCheckedAsAChain() throws Exception {
        SenderChecks checks = new SenderChecks(new MapDns(), PublicSuffixList.parse(new StringReader("com\n")),
                message -> new MessageSignatures(new DkimVerification(List.of()),
                        new ArcVerification(ArcResult.FAIL, 1, "", "no ARC-Seal of instance 1")), ID, true, () -> 0);
        SenderAuthentication result = checks.authenticate(Optional.empty(), "", "", MessageSource.of(
                "ARC-Authentication-Results: i=1; x.example; spf=pass\r\nFrom: a@example.com\r\n\r\nx\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ArcResult.FAIL, result.arc().result());
    }
}
