package org.mailslot.transport.internal.delivery;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.tls.PeerVerification;

/**
 * What TLS one connection must have, beyond what its port's strategy says: a destination's TLS
 * policy (DANE, MTA-STS, a configured level) or a relay route's verification.
 *
 * @param required whether TLS is required even on a port whose strategy makes it opportunistic
 * @param verification how the TLS service checks the certificate
 * @param check what is checked of the chain after the handshake, before any other command (a TLSA
 *     match, the recipient domain's name)
 * @param policy whether a TLS policy demands it: a failure is then {@code TLS_POLICY}, not {@code TLS_FAILED}
 * @param tag what tells pooled connections opened under different demands apart
 * @param audited whether the certificate is verified as {@link PeerVerification#FULL} would after the
 *     handshake, what fails reported and the session kept (an MTA-STS policy in {@code testing} mode)
 */
public record TlsDemand(boolean required, PeerVerification verification, Optional<PeerCheck> check, boolean policy,
        String tag, boolean audited) {

    /** Checks the server's chain once the handshake is done. */
    @FunctionalInterface
    public interface PeerCheck {

        /**
         * @param chain the server's certificate first
         * @return what verified, for the log (such as {@code TLSA 3 1 1 matched})
         * @throws CertificateException why the chain is refused: the connection is closed, nothing sent
         */
        String check(X509Certificate[] chain) throws CertificateException;
    }

    public TlsDemand {
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(tag, "tag");
    }

    public TlsDemand(boolean required, PeerVerification verification, Optional<PeerCheck> check, boolean policy,
            String tag) {
        this(required, verification, check, policy, tag, false);
    }

    /** @return what an MTA-STS policy in {@code testing} mode asks: opportunistic TLS, the certificate audited */
    public static TlsDemand audited(String tag) {
        return new TlsDemand(false, PeerVerification.NONE, Optional.empty(), false, tag, true);
    }

    /** @return what a relay route asks: its port strategies decide TLS, its verification the certificate */
    public static TlsDemand ofRoute(RouteSettings settings) {
        return new TlsDemand(false, settings.verification(), Optional.empty(), false, "");
    }

    /** @return whether the certificate is authenticated, by the TLS service or by the check */
    public boolean authenticates() {
        return verification != PeerVerification.NONE || check.isPresent();
    }
}
