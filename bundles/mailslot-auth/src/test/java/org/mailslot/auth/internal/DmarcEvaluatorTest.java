package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.auth.DmarcCheck;
import org.mailslot.api.auth.DmarcPolicy;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfIdentity;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;

/** RFC 7489 section 6.6: discovery, alignment, policies and pct, and temporary failures. */
class DmarcEvaluatorTest {

    private static PublicSuffixList suffixes() throws IOException {
        return PublicSuffixList.parse(new StringReader("com\norg\nco.uk\nuk\n"));
    }

    private static SpfCheck spf(SpfResult result, String domain) {
        return new SpfCheck(SpfIdentity.MAILFROM, domain, "bounce@" + domain, result, "");
    }

    private static DkimVerification dkim(DkimResult result, String domain) {
        return new DkimVerification(List.of(new DkimSignatureResult(domain, "s", Optional.of(DkimAlgorithm.ED25519_SHA256),
                null, result, "", "")));
    }

    private static final DkimVerification UNSIGNED = new DkimVerification(List.of());

    private DmarcCheck evaluate(MapDns dns, int percentile, String from, SpfCheck spf, DkimVerification dkim) throws IOException {
        return new DmarcEvaluator(dns, suffixes(), () -> percentile).evaluate(from, spf, dkim);
    }

    @Test
    void relaxedSpfAlignmentPassesForASubdomainOfTheSameOrganization() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcCheck check = evaluate(dns, 0, "example.com", spf(SpfResult.PASS, "bounce.example.com"), UNSIGNED);
        assertEquals(DmarcResult.PASS, check.result());
        assertTrue(check.spfAligned());
        assertFalse(check.dkimAligned());
    }

    @Test
    void strictAlignmentNeedsTheSameDomain() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s; adkim=s");
        assertEquals(DmarcResult.FAIL, evaluate(dns, 0, "example.com", spf(SpfResult.PASS, "bounce.example.com"),
                dkim(DkimResult.PASS, "mail.example.com")).result());
        assertEquals(DmarcResult.PASS, evaluate(dns, 0, "example.com", spf(SpfResult.PASS, "example.com"), UNSIGNED).result());
    }

    @Test
    void spfThatDoesNotPassNeverAligns() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        DmarcCheck check = evaluate(dns, 0, "example.com", spf(SpfResult.SOFTFAIL, "example.com"), UNSIGNED);
        assertEquals(DmarcResult.FAIL, check.result());
        assertEquals(DmarcPolicy.QUARANTINE, check.disposition());
    }

    @Test
    void aSubdomainWithoutARecordGetsTheOrganizationsSubdomainPolicy() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.co.uk", "v=DMARC1; p=reject; sp=quarantine");
        DmarcCheck check = evaluate(dns, 0, "shop.example.co.uk", spf(SpfResult.NONE, ""), UNSIGNED);
        assertEquals("example.co.uk", check.organizationalDomain());
        assertEquals(Optional.of(DmarcPolicy.QUARANTINE), check.policy());
        assertEquals(2, dns.queries);
    }

    @Test
    void pctSamplesAndOneStepMilderForTheRest() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=30")
                .txt("_dmarc.example.org", "v=DMARC1; p=quarantine; pct=30");
        assertEquals(DmarcPolicy.REJECT, evaluate(dns, 29, "example.com", spf(SpfResult.FAIL, "example.com"), UNSIGNED).disposition());
        assertEquals(DmarcPolicy.QUARANTINE, evaluate(dns, 30, "example.com", spf(SpfResult.FAIL, "example.com"), UNSIGNED).disposition());
        assertEquals(DmarcPolicy.NONE, evaluate(dns, 30, "example.org", spf(SpfResult.FAIL, "example.org"), UNSIGNED).disposition());
    }

    @Test
    void anInvalidPolicyWithAReportAddressIsPolicyNoneAndWithoutOneNoRecord() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=bogus; rua=mailto:d@example.com")
                .txt("_dmarc.example.org", "v=DMARC1; p=bogus");
        DmarcCheck reported = evaluate(dns, 0, "example.com", spf(SpfResult.FAIL, "example.com"), UNSIGNED);
        assertEquals(DmarcResult.FAIL, reported.result());
        assertEquals(Optional.of(DmarcPolicy.NONE), reported.policy());
        assertEquals(DmarcResult.NONE, evaluate(dns, 0, "example.org", spf(SpfResult.FAIL, "example.org"), UNSIGNED).result());
    }

    @Test
    void twoRecordsAreNone() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject").txt("_dmarc.example.com", "v=DMARC1; p=none");
        assertEquals(DmarcResult.NONE, evaluate(dns, 0, "example.com", spf(SpfResult.FAIL, "example.com"), UNSIGNED).result());
    }

    @Test
    void aRecordLookupWithoutAnswerIsTemperror() throws IOException {
        MapDns dns = new MapDns().failing("_dmarc.example.com");
        DmarcCheck check = evaluate(dns, 0, "example.com", spf(SpfResult.PASS, "example.com"), UNSIGNED);
        assertEquals(DmarcResult.TEMPERROR, check.result());
    }

    @Test
    void anAlignedCheckThatCouldNotBeMadeIsTemperrorNotFail() throws IOException {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertEquals(DmarcResult.TEMPERROR, evaluate(dns, 0, "example.com", spf(SpfResult.TEMPERROR, "example.com"), UNSIGNED).result());
        assertEquals(DmarcResult.TEMPERROR, evaluate(dns, 0, "example.com", spf(SpfResult.FAIL, "other.org"),
                dkim(DkimResult.TEMPERROR, "example.com")).result());
        // A temporary failure of an unaligned domain cannot change the verdict.
        assertEquals(DmarcResult.FAIL, evaluate(dns, 0, "example.com", spf(SpfResult.TEMPERROR, "other.org"), UNSIGNED).result());
    }
}
