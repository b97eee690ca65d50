package org.mailslot.smime.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.mail.MailAddress;

/** Which certificate to encrypt to and which identity to sign with, chosen from the store. */
final class KeySelection {

    /** An identity of ours: a certificate with its private key. */
    record Identity(StoredCertificate entry, PrivateKey key) {

        X509Certificate certificate() {
            return entry.certificate();
        }
    }

    private final CertificateStore store;
    private final CertificateTrust trust;

    KeySelection(CertificateStore store, CertificateTrust trust) {
        this.store = store;
        this.trust = trust;
    }

    /**
     * A certificate is usable for encryption when it binds the address, is valid now, permits key
     * encipherment or key agreement for e-mail, and no configured CRL lists it. Importing a
     * certificate is the operator's decision to use it, so no path to an anchor is demanded here.
     *
     * @return the newest usable certificate, preferring one of our own identities
     */
    Optional<StoredCertificate> encryptionCertificate(MailAddress address) {
        Instant now = store.clock().instant();
        return store.all().stream()
                .filter(entry -> entry.binds(address) && usableForEncryption(entry, now))
                .max(Comparator.comparing(StoredCertificate::secret).thenComparing(StoredCertificate::notBefore));
    }

    boolean usableForEncryption(StoredCertificate entry, Instant now) {
        return entry.validAt(now) && Certificates.allowsEncryption(entry.certificate())
                && !trust.revokedByConfiguredCrl(entry.certificate());
    }

    boolean usableForSigning(StoredCertificate entry, Instant now) {
        return entry.secret() && entry.validAt(now) && Certificates.allowsSigning(entry.certificate())
                && !Certificates.isCa(entry.certificate()) && !trust.revokedByConfiguredCrl(entry.certificate());
    }

    Optional<StoredCertificate> signingCertificate(MailAddress sender) {
        Instant now = store.clock().instant();
        return store.all().stream()
                .filter(entry -> entry.binds(sender) && usableForSigning(entry, now))
                .max(Comparator.comparing(StoredCertificate::notBefore));
    }

    Optional<Identity> signingIdentity(MailAddress sender) throws CryptoException {
        Optional<StoredCertificate> entry = signingCertificate(sender);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Identity(entry.get(), store.privateKey(entry.get().id())));
    }

    CertificateStore store() {
        return store;
    }

    CertificateTrust trust() {
        return trust;
    }
}
