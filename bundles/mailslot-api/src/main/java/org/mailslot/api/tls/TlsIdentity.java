package org.mailslot.api.tls;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The server identity a {@link TlsService} presents: what its leaf certificate says and where
 * it came from. An immutable snapshot, safe to keep and to share between threads.
 */
@ProviderType
public interface TlsIdentity {

    /** @return the leaf certificate's subject, RFC 2253 form */
    String subject();

    /** @return the leaf certificate's issuer, RFC 2253 form */
    String issuer();

    /** @return the DNS names and IP addresses of the leaf certificate's subject alternative names */
    List<String> subjectAlternativeNames();

    /** @return when the leaf certificate starts to be valid */
    Instant notBefore();

    /** @return when the leaf certificate stops being valid */
    Instant notAfter();

    /** @return the SHA-256 fingerprint of the leaf certificate, upper-case hex pairs joined by colons */
    String sha256Fingerprint();

    /** @return where the identity was read from: the file or files, for operators */
    String source();

    /**
     * @return true if this is the self-signed identity Mailslot generated because none is
     *     configured; clients will not trust it
     */
    boolean selfSignedDefault();

    /** @return when this identity was loaded */
    Instant loadedAt();
}
