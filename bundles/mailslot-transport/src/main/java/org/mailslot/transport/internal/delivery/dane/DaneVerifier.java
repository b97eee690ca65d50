package org.mailslot.transport.internal.delivery.dane;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.mailslot.support.tls.CertificateNames;

/**
 * Checks a server's certificate chain against its usable TLSA records (RFC 7672 section 3.1):
 * DANE-EE (3) matches the server's own certificate or key, with no name or validity checked (3.1.1);
 * DANE-TA (2) matches a certificate of the chain the server presented, from which the server's
 * certificate must be issued (signatures and validity checked down the chain) and which must name
 * the MX host or the recipient domain (3.1.2, 3.2.2: the TLSA base domain and the next-hop domain).
 */
public final class DaneVerifier {

    private final List<Tlsa> records;
    private final List<String> names;

    /**
     * @param records the usable TLSA records (at least one)
     * @param names the reference identifiers for DANE-TA: the MX host name, the recipient domain
     */
    public DaneVerifier(List<Tlsa> records, List<String> names) {
        this.records = List.copyOf(records);
        this.names = names.stream().map(CertificateNames::canonical).toList();
        if (this.records.isEmpty() || this.records.stream().anyMatch(r -> !r.usable())) {
            throw new IllegalArgumentException("DANE needs usable TLSA records, not " + records);
        }
    }

    /** @return the records checked against */
    public List<Tlsa> records() {
        return records;
    }

    /**
     * @param chain the chain the server presented, its own certificate first
     * @return the record that matched, as the log says it
     * @throws CertificateException saying why no record matched
     */
    public Tlsa verify(X509Certificate[] chain, Date now) throws CertificateException {
        Objects.requireNonNull(chain, "chain");
        if (chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        List<String> why = new ArrayList<>();
        for (Tlsa record : records) {
            if (record.usage() == Tlsa.DANE_EE) {
                if (record.matches(chain[0])) {
                    return record;
                }
                continue;
            }
            for (int i = 0; i < chain.length; i++) {
                if (record.matches(chain[i])) {
                    try {
                        issuedDown(chain, i, now);
                        named(chain[0]);
                        return record;
                    } catch (CertificateException e) {
                        why.add("TLSA " + record.usage() + " " + record.selector() + " " + record.matchingType()
                                + " matched a trust anchor, but " + e.getMessage());
                    }
                }
            }
        }
        throw new CertificateException("the certificate of the server (" + chain[0].getSubjectX500Principal().getName()
                + ") matches none of its " + records.size() + " usable TLSA record" + (records.size() == 1 ? "" : "s")
                + (why.isEmpty() ? "" : ": " + String.join("; ", why)));
    }

    /** Each certificate below the trust anchor at {@code anchor} is signed by the next one up and valid now. */
    private static void issuedDown(X509Certificate[] chain, int anchor, Date now) throws CertificateException {
        for (int i = anchor - 1; i >= 0; i--) {
            X509Certificate child = chain[i];
            X509Certificate parent = chain[i + 1];
            if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
                throw new CertificateException(child.getSubjectX500Principal().getName() + " is not issued by "
                        + parent.getSubjectX500Principal().getName());
            }
            try {
                child.verify(parent.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new CertificateException("the signature on " + child.getSubjectX500Principal().getName()
                        + " does not verify", e);
            }
            child.checkValidity(now);
        }
    }

    /** The server's certificate names one of the reference identifiers (a wildcard stands for one label). */
    private void named(X509Certificate leaf) throws CertificateException {
        List<String> presented = CertificateNames.of(leaf);
        for (String name : presented) {
            for (String wanted : names) {
                if (name.equals(wanted) || name.startsWith("*.") && wanted.indexOf('.') > 0
                        && wanted.substring(wanted.indexOf('.') + 1).equals(name.substring(2))) {
                    return;
                }
            }
        }
        throw new CertificateException("the server's certificate names " + presented + ", not " + names);
    }
}
