package org.mailslot.smime.internal;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;

/**
 * Checks the signatures of a CMS SignedData over content that is the whole (inner) message: the
 * cryptography first (INVALID), then the signer's certificate (UNKNOWN_KEY without a path to an
 * anchor, REVOKED, EXPIRED), then its binding to the From address (SIGNER_MISMATCH). With several
 * signers, a VALID one wins, else the first signer's result stands.
 */
final class SignatureVerifier {

    private final CertificateStore store;
    private final CertificateTrust trust;

    SignatureVerifier(CertificateStore store, CertificateTrust trust) {
        this.store = store;
        this.trust = trust;
    }

    Verification verify(CMSSignedData signed, MessageOpener.Author from) {
        List<SignerInformation> signers = new ArrayList<>(signed.getSignerInfos().getSigners());
        if (signers.isEmpty()) {
            return result(VerificationStatus.INVALID, "", null, Optional.empty(), "the signature has no signer");
        }
        List<X509Certificate> carried = new ArrayList<>();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        List<X509CRL> crls = new ArrayList<>();
        try {
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                carried.add(certificates.getCertificate(holder));
            }
            JcaX509CRLConverter crlConverter = new JcaX509CRLConverter();
            for (Object crl : signed.getCRLs().getMatches(null)) {
                crls.add(crlConverter.getCRL((X509CRLHolder) crl));
            }
        } catch (Exception e) {
            return result(VerificationStatus.INVALID, "", null, Optional.empty(), "unreadable certificates or CRLs in the signature");
        }
        Verification first = null;
        for (SignerInformation signer : signers) {
            Verification verification = verifyOne(signer, carried, crls, from);
            if (verification.status() == VerificationStatus.VALID) {
                return verification;
            }
            if (first == null) {
                first = verification;
            }
        }
        return first;
    }

    private Verification verifyOne(SignerInformation signer, List<X509Certificate> carried, List<X509CRL> crls,
            MessageOpener.Author author) {
        MailAddress from = author.address();
        Optional<Instant> signedAt = signingTime(signer);
        String signerId = describe(signer);
        X509Certificate certificate = findCertificate(signer, carried);
        if (certificate == null) {
            return result(VerificationStatus.UNKNOWN_KEY, signerId, null, signedAt, "the signer's certificate is neither in the message nor in the store");
        }
        signerId = certificate.getIssuerX500Principal().getName() + " / serial " + certificate.getSerialNumber().toString(16);
        try {
            var digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build();
            if (!signer.verify(new JcaSignerInfoVerifierBuilder(digests).setProvider(Providers.BC).build(certificate))) {
                return result(VerificationStatus.INVALID, signerId, certificate, signedAt, "the signature does not match the content");
            }
        } catch (CMSVerifierCertificateNotValidException e) {
            return result(VerificationStatus.EXPIRED, signerId, certificate, signedAt,
                    "the signer's certificate was not valid when the signature was made");
        } catch (Exception e) {
            return result(VerificationStatus.INVALID, signerId, certificate, signedAt,
                    "the signature does not match the content: " + e.getMessage());
        }
        if (!Certificates.allowsSigning(certificate)) {
            return result(VerificationStatus.INVALID, signerId, certificate, signedAt,
                    "the signer's certificate does not permit signing e-mail");
        }
        CertificateTrust.Result checked = trust.check(certificate, carried, crls);
        switch (checked.outcome()) {
            case UNTRUSTED:
                return result(VerificationStatus.UNKNOWN_KEY, signerId, certificate, signedAt, checked.detail());
            case REVOKED:
                return result(VerificationStatus.REVOKED, signerId, certificate, signedAt, checked.detail());
            case EXPIRED:
                return result(VerificationStatus.EXPIRED, signerId, certificate, signedAt, checked.detail());
            case UNVERIFIABLE:
                return result(VerificationStatus.UNKNOWN_KEY, signerId, certificate, signedAt, checked.detail());
            default:
                break;
        }
        if (from == null || !Certificates.binds(certificate, from)) {
            return result(VerificationStatus.SIGNER_MISMATCH, signerId, certificate, signedAt,
                    "good signature, but " + (from == null ? author.whyNone() : "the certificate binds "
                            + Certificates.addresses(certificate) + ", not the From address " + from));
        }
        return result(VerificationStatus.VALID, signerId, certificate, signedAt, "good signature by " + from + "; " + checked.detail());
    }

    private X509Certificate findCertificate(SignerInformation signer, List<X509Certificate> carried) {
        try {
            for (X509Certificate candidate : carried) {
                if (signer.getSID().match(new JcaX509CertificateHolder(candidate))) {
                    return candidate;
                }
            }
            for (StoredCertificate entry : store.all()) {
                if (signer.getSID().match(new JcaX509CertificateHolder(entry.certificate()))) {
                    return entry.certificate();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static Optional<Instant> signingTime(SignerInformation signer) {
        if (signer.getSignedAttributes() == null) {
            return Optional.empty();
        }
        Attribute attribute = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate().toInstant());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String describe(SignerInformation signer) {
        BigInteger serial = signer.getSID().getSerialNumber();
        if (signer.getSID().getIssuer() != null && serial != null) {
            return signer.getSID().getIssuer() + " / serial " + serial.toString(16);
        }
        return "";
    }

    private static Verification result(VerificationStatus status, String signerId, X509Certificate certificate,
            Optional<Instant> signedAt, String detail) {
        List<MailAddress> addresses = certificate == null ? List.of() : Certificates.addresses(certificate);
        return new Verification(status, CryptoTechnology.SMIME, signerId, addresses, signedAt, detail);
    }
}
