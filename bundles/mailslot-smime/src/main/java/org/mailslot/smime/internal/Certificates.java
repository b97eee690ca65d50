package org.mailslot.smime.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.mailslot.api.mail.MailAddress;

/** Facts about X.509 certificates that S/MIME needs: ids, addresses, key usage, algorithm. */
final class Certificates {

    private static final int SAN_RFC822 = 1;
    private static final int KU_DIGITAL_SIGNATURE = 0;
    private static final int KU_NON_REPUDIATION = 1;
    private static final int KU_KEY_ENCIPHERMENT = 2;
    private static final int KU_KEY_AGREEMENT = 4;
    private static final String EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String EKU_ANY = "2.5.29.37.0";

    private Certificates() {
    }

    static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    /** @return the certificate's SHA-256 fingerprint, lower-case hex: the id in the store */
    static String id(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** @return the rfc822Name subject alternative names and emailAddress attributes of the subject, valid ones only */
    static List<MailAddress> addresses(X509Certificate certificate) {
        Set<MailAddress> result = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2 && Integer.valueOf(SAN_RFC822).equals(name.get(0)) && name.get(1) instanceof String text) {
                        addIfValid(result, text);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension binds no address.
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
            ASN1Encodable value = rdn.getFirst().getValue();
            addIfValid(result, value.toString());
        }
        return List.copyOf(result);
    }

    /** Compares as RFC 8550 section 3 asks in practice: the whole address, case-insensitively. */
    static boolean binds(X509Certificate certificate, MailAddress address) {
        String wanted = address.toString();
        for (MailAddress bound : addresses(certificate)) {
            if (bound.toString().equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }

    static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean validAt(X509Certificate certificate, Instant when) {
        return !when.isBefore(certificate.getNotBefore().toInstant()) && !when.isAfter(certificate.getNotAfter().toInstant());
    }

    static boolean allowsSigning(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        boolean keyUsage = usage == null || bit(usage, KU_DIGITAL_SIGNATURE) || bit(usage, KU_NON_REPUDIATION);
        return keyUsage && allowsEmail(certificate);
    }

    static boolean allowsEncryption(X509Certificate certificate) {
        if (isCa(certificate)) {
            return false;
        }
        PublicKey key = certificate.getPublicKey();
        boolean[] usage = certificate.getKeyUsage();
        boolean keyUsage;
        if (key instanceof RSAPublicKey) {
            keyUsage = usage == null || bit(usage, KU_KEY_ENCIPHERMENT);
        } else if (key instanceof ECPublicKey) {
            keyUsage = usage == null || bit(usage, KU_KEY_AGREEMENT);
        } else {
            return false;
        }
        return keyUsage && allowsEmail(certificate);
    }

    private static boolean allowsEmail(X509Certificate certificate) {
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            return purposes == null || purposes.contains(EKU_EMAIL_PROTECTION) || purposes.contains(EKU_ANY);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** @return for example {@code RSA-3072} or {@code EC P-256} */
    static String algorithm(X509Certificate certificate) {
        PublicKey key = certificate.getPublicKey();
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "EC P-" + bits;
        }
        return key.getAlgorithm();
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** @return the certificates of a PEM bundle or a DER file, empty if there are none */
    static List<X509Certificate> parseAll(byte[] material) {
        try {
            List<X509Certificate> result = new ArrayList<>();
            for (var certificate : factory().generateCertificates(new ByteArrayInputStream(material))) {
                result.add((X509Certificate) certificate);
            }
            return result;
        } catch (CertificateException e) {
            return List.of();
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return bits.length > index && bits[index];
    }

    private static void addIfValid(Set<MailAddress> into, String text) {
        try {
            into.add(MailAddress.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            // Not an address Mailslot can route; it binds nothing.
        }
    }
}
