package org.mailslot.smime.internal;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** Checks certificates against the CRLs at hand (configured files, CRLs carried in a message). */
final class Revocation {

    private Revocation() {
    }

    /**
     * @param certificate the certificate
     * @param issuer its issuer's certificate, whose key must have signed a CRL for it to count
     * @param crls the CRLs at hand
     * @return true if a CRL signed by the issuer lists the certificate
     */
    static boolean isRevoked(X509Certificate certificate, X509Certificate issuer, Collection<X509CRL> crls) {
        if (issuer == null) {
            return false;
        }
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()) && signedBy(crl, issuer)
                    && crl.isRevoked(certificate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
