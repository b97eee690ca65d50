package org.mailslot.smime.internal;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;

/**
 * Checks certificates against the CRLs at hand (configured files, CRLs carried in a message). Only
 * a CRL signed by the certificate's issuer counts. A CRL whose nextUpdate has passed is stale: a
 * revocation it lists still stands (revocations are not taken back), but its silence proves
 * nothing, since the certificate may have been revoked after it was issued.
 */
final class Revocation {

    enum Status {
        /** A current CRL of the issuer does not list it. */
        NOT_REVOKED,
        /** A CRL of the issuer lists it. */
        REVOKED,
        /** Only stale CRLs of the issuer are at hand, and they do not list it. */
        STALE,
        /** No CRL of the issuer is at hand: nothing is known. */
        NO_CRL
    }

    private Revocation() {
    }

    /**
     * @param certificate the certificate
     * @param issuer its issuer's certificate, whose key must have signed a CRL for it to count
     * @param crls the CRLs at hand
     * @param now the time a CRL must still be current at
     */
    static Status status(X509Certificate certificate, X509Certificate issuer, Collection<X509CRL> crls, Instant now) {
        if (issuer == null) {
            return Status.NO_CRL;
        }
        boolean current = false;
        boolean stale = false;
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()) || !signedBy(crl, issuer)) {
                continue;
            }
            if (crl.isRevoked(certificate)) {
                return Status.REVOKED;
            }
            if (isCurrent(crl, now)) {
                current = true;
            } else {
                stale = true;
            }
        }
        return current ? Status.NOT_REVOKED : stale ? Status.STALE : Status.NO_CRL;
    }

    /** @return true if the CRL was issued by now and its nextUpdate (if any) has not passed */
    static boolean isCurrent(X509CRL crl, Instant now) {
        Date next = crl.getNextUpdate();
        return !crl.getThisUpdate().toInstant().isAfter(now) && (next == null || !now.isAfter(next.toInstant()));
    }

    static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
