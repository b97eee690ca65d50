package org.mailslot.api.transport;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The TLS that protected a connection, as negotiated.
 *
 * @param protocol such as {@code TLSv1.3}
 * @param cipherSuite such as {@code TLS_AES_256_GCM_SHA384}
 * @param peerSubject the server certificate's subject
 * @param peerIssuer the server certificate's issuer
 * @param peerNotAfter when the server certificate expires
 * @param verified whether the chain and the host name verified
 * @param verificationError why verification failed, when it did
 */
@ProviderType
public record TlsSession(String protocol, String cipherSuite, String peerSubject, String peerIssuer,
        Instant peerNotAfter, boolean verified, Optional<String> verificationError) {

    public TlsSession {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(verificationError, "verificationError");
    }

    /**
     * Describes an established session from the client's side.
     *
     * @param session the session, after the handshake
     * @param verificationError empty if the chain and host name were verified, else why not
     * @return the description, with the peer certificate's subject, issuer and expiry when the
     *     server sent one (empty strings and a null expiry when it did not)
     */
    public static TlsSession of(SSLSession session, Optional<String> verificationError) {
        String subject = "";
        String issuer = "";
        Instant notAfter = null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                subject = leaf.getSubjectX500Principal().getName();
                issuer = leaf.getIssuerX500Principal().getName();
                notAfter = leaf.getNotAfter().toInstant();
            }
        } catch (SSLPeerUnverifiedException e) {
            // An anonymous session has no certificate to show.
        }
        return new TlsSession(session.getProtocol(), session.getCipherSuite(), subject, issuer, notAfter,
                verificationError.isEmpty(), verificationError);
    }
}
