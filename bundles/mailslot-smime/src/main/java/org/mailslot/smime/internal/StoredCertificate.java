package org.mailslot.smime.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.mailslot.api.mail.MailAddress;

/**
 * A certificate in the store.
 *
 * @param id SHA-256 fingerprint, lower-case hex
 * @param certificate the certificate
 * @param anchor true if it is trusted as a path anchor (imported with trust asked for, or generated)
 * @param secret true if the store holds its private key
 */
record StoredCertificate(String id, X509Certificate certificate, boolean anchor, boolean secret) {

    List<MailAddress> addresses() {
        return Certificates.addresses(certificate);
    }

    boolean binds(MailAddress address) {
        return Certificates.binds(certificate, address);
    }

    boolean validAt(Instant when) {
        return Certificates.validAt(certificate, when);
    }

    Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }
}
