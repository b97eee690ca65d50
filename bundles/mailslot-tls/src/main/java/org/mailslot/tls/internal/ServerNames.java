package org.mailslot.tls.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.mailslot.support.tls.CertificateNames;

/**
 * Whether a server certificate names a host (RFC 6125 section 6.4): one of its subject alternative names
 * of type dNSName equals the host name, or is a wildcard ({@code *.example.com}) standing for exactly
 * the left-most label. No fallback to the subject's common name.
 */
final class ServerNames {

    private ServerNames() {
    }

    /** @throws CertificateException saying {@code "No name matching HOST found"} and the names there are */
    static void check(X509Certificate certificate, String host) throws CertificateException {
        String name = CertificateNames.canonical(host);
        List<String> names = CertificateNames.of(certificate);
        for (String candidate : names) {
            if (candidate.equals(name) || candidate.startsWith("*.") && name.indexOf('.') > 0
                    && name.substring(name.indexOf('.') + 1).equals(candidate.substring(2))) {
                return;
            }
        }
        throw new CertificateException("No name matching " + name + " found: the certificate names " + names);
    }
}
