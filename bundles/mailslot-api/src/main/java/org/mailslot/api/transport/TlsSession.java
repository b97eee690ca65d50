package org.mailslot.api.transport;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
public record TlsSession(String protocol, String cipherSuite, String peerSubject, String peerIssuer,
        Instant peerNotAfter, boolean verified, Optional<String> verificationError) {

    public TlsSession {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(verificationError, "verificationError");
    }
}
