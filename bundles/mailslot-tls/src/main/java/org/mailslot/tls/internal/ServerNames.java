package org.mailslot.tls.internal;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a server certificate names a host (RFC 6125 section 6.4): one of its subject alternative names
 * of type dNSName equals the host name, or is a wildcard ({@code *.example.com}) standing for exactly
 * the left-most label. No fallback to the subject's common name.
 */
final class ServerNames {

    private static final int DNS_NAME = 2;

    private ServerNames() {
    }

    /** @throws CertificateException saying {@code "No name matching HOST found"} and the names there are */
    static void check(X509Certificate certificate, String host) throws CertificateException {
        String name = canonical(host);
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(DNS_NAME).equals(san.get(0))) {
                        names.add(canonical(String.valueOf(san.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateException("the certificate's subject alternative names cannot be read", e);
        }
        for (String candidate : names) {
            if (candidate.equals(name) || candidate.startsWith("*.") && name.indexOf('.') > 0
                    && name.substring(name.indexOf('.') + 1).equals(candidate.substring(2))) {
                return;
            }
        }
        throw new CertificateException("No name matching " + name + " found: the certificate names " + names);
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
