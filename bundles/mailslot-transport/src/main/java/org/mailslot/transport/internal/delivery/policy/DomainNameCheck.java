package org.mailslot.transport.internal.delivery.policy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.mailslot.transport.internal.delivery.TlsDemand;
import org.mailslot.support.tls.CertificateNames;

/**
 * The {@code secure} level's name check (Postfix's {@code smtp_tls_secure_cert_match = nexthop,
 * dot-nexthop}): the server's certificate must name the recipient domain or a sub-domain of it, since
 * the MX records that named the host are not trusted.
 */
final class DomainNameCheck implements TlsDemand.PeerCheck {

    private final String domain;

    DomainNameCheck(String domain) {
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    @Override
    public String check(X509Certificate[] chain) throws CertificateException {
        List<String> names = CertificateNames.of(chain[0]);
        for (String name : names) {
            if (name.equals(domain) || name.endsWith("." + domain)) {
                return "the certificate names " + name;
            }
        }
        throw new CertificateException("the certificate names " + names + ", neither " + domain + " nor a sub-domain");
    }
}
