package org.mailslot.auth.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.mailslot.api.auth.DmarcCheck;
import org.mailslot.api.auth.DmarcPolicy;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.Type;

/**
 * RFC 7489 section 6.6: policy discovery at {@code _dmarc.} the From domain, then its
 * organizational domain; identifier alignment of SPF (MAIL FROM) and DKIM ({@code d=}), relaxed or
 * strict; the policy for the domain or subdomain, sampled by {@code pct=}. Thread-safe.
 */
final class DmarcEvaluator {

    private final DnsQuery dns;
    private final PublicSuffixList suffixes;
    private final IntSupplier percentile;

    /**
     * @param percentile a number from 0 to 99 for each failing message under a policy, compared
     *     with {@code pct=}: random in service, fixed in tests
     */
    DmarcEvaluator(DnsQuery dns, PublicSuffixList suffixes, IntSupplier percentile) {
        this.dns = dns;
        this.suffixes = suffixes;
        this.percentile = percentile;
    }

    /**
     * @param fromDomain the From field's domain, lower case
     * @param spf the MAIL FROM check
     * @param dkim the message's DKIM verification
     */
    DmarcCheck evaluate(String fromDomain, SpfCheck spf, DkimVerification dkim) {
        String organizational = suffixes.organizationalDomain(fromDomain);
        Optional<DmarcRecord> found;
        boolean atOrganizational = false;
        try {
            found = lookUp(fromDomain);
            if (found.isEmpty() && !organizational.equals(fromDomain)) {
                found = lookUp(organizational);
                atOrganizational = true;
            }
        } catch (LookupFailed e) {
            return new DmarcCheck(fromDomain, organizational, DmarcResult.TEMPERROR, Optional.empty(), DmarcPolicy.NONE,
                    false, false, e.getMessage());
        }
        if (found.isEmpty()) {
            return new DmarcCheck(fromDomain, organizational, DmarcResult.NONE, Optional.empty(), DmarcPolicy.NONE,
                    false, false, "no DMARC record for " + fromDomain);
        }
        DmarcRecord record = found.get();
        DmarcPolicy policy = atOrganizational ? record.subdomainPolicy().orElse(record.policy()) : record.policy();
        boolean spfAligned = spf.result() == SpfResult.PASS && aligned(spf.domain(), fromDomain, record.strictSpf());
        List<DkimSignatureResult> alignedSignatures = dkim.signatures().stream()
                .filter(s -> aligned(s.domain(), fromDomain, record.strictDkim())).toList();
        boolean dkimAligned = alignedSignatures.stream().anyMatch(DkimSignatureResult::passed);
        if (spfAligned || dkimAligned) {
            return new DmarcCheck(fromDomain, organizational, DmarcResult.PASS, Optional.of(policy), DmarcPolicy.NONE,
                    spfAligned, dkimAligned, (spfAligned ? "SPF" : "DKIM") + " aligned with " + fromDomain);
        }
        boolean spfTemporary = spf.result() == SpfResult.TEMPERROR && aligned(spf.domain(), fromDomain, record.strictSpf());
        boolean dkimTemporary = alignedSignatures.stream().anyMatch(s -> s.result() == DkimResult.TEMPERROR);
        if (spfTemporary || dkimTemporary) {
            return new DmarcCheck(fromDomain, organizational, DmarcResult.TEMPERROR, Optional.of(policy), DmarcPolicy.NONE,
                    false, false, (spfTemporary ? "SPF" : "DKIM") + " of an aligned domain could not be checked for now");
        }
        DmarcPolicy disposition = policy;
        if (policy != DmarcPolicy.NONE && percentile.getAsInt() >= record.percent()) {
            disposition = policy == DmarcPolicy.REJECT ? DmarcPolicy.QUARANTINE : DmarcPolicy.NONE;
        }
        return new DmarcCheck(fromDomain, organizational, DmarcResult.FAIL, Optional.of(policy), disposition, false, false,
                "neither SPF nor DKIM aligned with " + fromDomain + " passed");
    }

    private boolean aligned(String domain, String fromDomain, boolean strict) {
        if (domain.isEmpty()) {
            return false;
        }
        String normalized = DomainNames.normalize(domain);
        if (normalized.equals(fromDomain)) {
            return true;
        }
        return !strict && suffixes.organizationalDomain(normalized).equals(suffixes.organizationalDomain(fromDomain));
    }

    private Optional<DmarcRecord> lookUp(String domain) throws LookupFailed {
        DnsAnswer answer = dns.query("_dmarc." + domain, Type.TXT);
        if (answer.failed()) {
            throw new LookupFailed(answer.error());
        }
        List<String> records = answer.texts().stream().filter(DmarcRecord::isDmarc).toList();
        return records.size() == 1 ? DmarcRecord.parse(records.get(0)) : Optional.empty();
    }

    private static final class LookupFailed extends Exception {
        private static final long serialVersionUID = 1L;

        LookupFailed(String message) {
            super(message, null, false, false);
        }
    }
}
