package org.mailslot.support.tls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The DNS names a server certificate carries (subject alternative names of type dNSName), lower case. */
public final class CertificateNames {

    private CertificateNames() {
    }

    /**
     * @return the names, without a trailing dot
     * @throws CertificateException if the extension cannot be read
     */
    public static List<String> of(X509Certificate certificate) throws CertificateException {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(canonical(String.valueOf(san.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateException("the certificate's subject alternative names cannot be read", e);
        }
        return names;
    }

    /** @return the name in lower case, without a trailing dot */
    public static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
