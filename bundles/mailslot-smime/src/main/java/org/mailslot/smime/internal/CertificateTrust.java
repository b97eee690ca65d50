package org.mailslot.smime.internal;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides whether a certificate is trusted: a PKIX path (JDK builder) to an anchor of the store
 * or of the configured PEM bundle, every certificate of it valid now, and none of them listed in a
 * CRL at hand (configured CRL files and CRLs carried in the message) signed by its issuer. Without
 * a CRL for a certificate its revocation status is not known and it is not refused for that; with
 * only stale CRLs of its issuer (nextUpdate passed) it is unverifiable, since an operator who gave
 * CRLs meant revocation to be checked.
 */
final class CertificateTrust {

    /** The outcome of {@link #check}. */
    enum Outcome { TRUSTED, UNTRUSTED, EXPIRED, REVOKED, UNVERIFIABLE }

    /** An outcome and one line saying why. */
    record Result(Outcome outcome, String detail) {
    }

    private final Supplier<List<StoredCertificate>> store;
    private final List<X509Certificate> configuredAnchors;
    private final List<X509CRL> configuredCrls;
    private final Clock clock;

    CertificateTrust(Supplier<List<StoredCertificate>> store, List<X509Certificate> configuredAnchors,
            List<X509CRL> configuredCrls, Clock clock) {
        this.store = store;
        this.configuredAnchors = List.copyOf(configuredAnchors);
        this.configuredCrls = List.copyOf(configuredCrls);
        this.clock = clock;
    }

    /**
     * @param leaf the certificate to judge
     * @param carried certificates that came with the message (intermediates)
     * @param carriedCrls CRLs that came with the message
     */
    Result check(X509Certificate leaf, Collection<X509Certificate> carried, Collection<X509CRL> carriedCrls) {
        Instant now = clock.instant();
        List<StoredCertificate> entries = store.get();
        Set<X509Certificate> anchors = new HashSet<>(configuredAnchors);
        List<X509Certificate> known = new ArrayList<>(carried);
        for (StoredCertificate entry : entries) {
            (entry.anchor() ? anchors : known).add(entry.certificate());
        }
        List<X509CRL> crls = new ArrayList<>(configuredCrls);
        crls.addAll(carriedCrls);

        List<X509Certificate> path = new ArrayList<>();
        if (anchors.contains(leaf)) {
            path.add(leaf);
        } else {
            X509Certificate anchor;
            List<X509Certificate> built;
            try {
                PKIXBuilderParameters parameters = new PKIXBuilderParameters(toTrustAnchors(anchors), selector(leaf));
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(withLeaf(known, leaf))));
                parameters.setRevocationEnabled(false);
                parameters.setDate(Date.from(buildDate(leaf, now)));
                PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
                anchor = result.getTrustAnchor().getTrustedCert();
                built = new ArrayList<>();
                result.getCertPath().getCertificates().forEach(certificate -> built.add((X509Certificate) certificate));
            } catch (Exception e) {
                return new Result(Outcome.UNTRUSTED, "no certification path from " + leaf.getSubjectX500Principal()
                        + " to a trusted anchor");
            }
            path.addAll(built);
            path.add(anchor);
        }
        String stale = null;
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : null;
            Revocation.Status status = Revocation.status(certificate, issuer, crls, now);
            if (status == Revocation.Status.REVOKED) {
                return new Result(Outcome.REVOKED, certificate.getSubjectX500Principal() + " is revoked by its issuer's CRL");
            }
            if (status == Revocation.Status.STALE && stale == null) {
                stale = "the revocation of " + certificate.getSubjectX500Principal() + " cannot be checked: every CRL"
                        + " of its issuer at hand is past its next update";
            }
        }
        for (X509Certificate certificate : path) {
            if (!Certificates.validAt(certificate, now)) {
                return new Result(Outcome.EXPIRED, certificate.getSubjectX500Principal() + " is valid only from "
                        + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant());
            }
        }
        if (stale != null) {
            return new Result(Outcome.UNVERIFIABLE, stale);
        }
        return new Result(Outcome.TRUSTED, "certification path to " + path.get(path.size() - 1).getSubjectX500Principal());
    }

    /**
     * For listing and for choosing recipients and our own signing certificate: a listed revocation
     * counts, stale CRL or not, but a stale CRL's silence does not make a certificate unusable,
     * since refusing it would send if-possible mail in clear instead.
     *
     * @return true if a configured CRL lists the certificate
     */
    boolean revokedByConfiguredCrl(X509Certificate certificate) {
        for (X509CRL crl : configuredCrls) {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()) && crl.isRevoked(certificate)
                    && issuerSigned(crl)) {
                return true;
            }
        }
        return false;
    }

    private boolean issuerSigned(X509CRL crl) {
        List<X509Certificate> candidates = new ArrayList<>(configuredAnchors);
        store.get().forEach(entry -> candidates.add(entry.certificate()));
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(candidate.getPublicKey());
                    return true;
                } catch (Exception e) {
                    // Not this one.
                }
            }
        }
        return false;
    }

    /** Builds at a time the leaf was valid, so that an expired but otherwise good path says EXPIRED, not UNTRUSTED. */
    private static Instant buildDate(X509Certificate leaf, Instant now) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            return notAfter.minusSeconds(1);
        }
        if (now.isBefore(notBefore)) {
            return notBefore.plusSeconds(1);
        }
        return now;
    }

    private static Set<TrustAnchor> toTrustAnchors(Collection<X509Certificate> anchors) {
        Set<TrustAnchor> result = new HashSet<>();
        for (X509Certificate anchor : anchors) {
            result.add(new TrustAnchor(anchor, null));
        }
        return result;
    }

    private static X509CertSelector selector(X509Certificate leaf) {
        X509CertSelector selector = new X509CertSelector();
        selector.setCertificate(leaf);
        return selector;
    }

    private static List<X509Certificate> withLeaf(List<X509Certificate> known, X509Certificate leaf) {
        List<X509Certificate> result = new ArrayList<>(known);
        result.add(leaf);
        return result;
    }
}
