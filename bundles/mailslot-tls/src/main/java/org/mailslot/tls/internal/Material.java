package org.mailslot.tls.internal;

import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.mailslot.api.tls.PeerVerification;

/**
 * One generation of TLS material: immutable, swapped as a whole. Engines and sockets made from
 * it keep working after a newer generation replaces it, since nothing here is ever closed.
 */
final class Material {

    /** Absent in material that did not load completely: such material never serves as a server. */
    private final Identity identity;
    private final SSLContext server;
    private final Map<PeerVerification, SSLContext> clients;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final int extraTrustAnchors;
    private final TrustManager[] trustManagers;

    private Material(Identity identity, Trust trust, List<String> protocols, List<String> cipherSuites,
            List<String> clientCipherSuites) throws GeneralSecurityException {
        this.identity = identity;
        this.protocols = List.copyOf(protocols);
        this.cipherSuites = List.copyOf(cipherSuites);
        this.extraTrustAnchors = trust.extraAnchors();
        this.trustManagers = trust.managers().clone();
        String[] enabledProtocols = protocols.toArray(new String[0]);
        String[] enabledSuites = cipherSuites.toArray(new String[0]);
        String[] clientSuites = clientCipherSuites.toArray(new String[0]);
        if (identity != null) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SingleKeyManager(identity)}, trust.managers(), null);
            this.server = TunedSslContext.of(context, Tuning.server(enabledProtocols, enabledSuites));
        } else {
            this.server = null;
        }
        Map<PeerVerification, SSLContext> byVerification = new EnumMap<>(PeerVerification.class);
        // One base context each, so that no session verified less strictly is resumed under FULL.
        for (PeerVerification verification : PeerVerification.values()) {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] managers = verification == PeerVerification.NONE
                    ? new TrustManager[] {new AcceptAnyTrustManager()}
                    : trust.managers();
            context.init(null, managers, null);
            byVerification.put(verification, TunedSslContext.of(context,
                    Tuning.client(enabledProtocols, clientSuites, verification == PeerVerification.FULL)));
        }
        this.clients = byVerification;
    }

    /**
     * @param cipherSuites what the server accepts
     * @param clientCipherSuites what the client offers (it may have to reach an MTA that has nothing better)
     */
    static Material of(Identity identity, Trust trust, List<String> protocols, List<String> cipherSuites,
            List<String> clientCipherSuites) throws GeneralSecurityException {
        return new Material(identity, trust, protocols, cipherSuites, clientCipherSuites);
    }

    Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** @return the server context, or null without an identity */
    SSLContext server() {
        return server;
    }

    SSLContext client(PeerVerification verification) {
        return clients.get(verification);
    }

    List<String> protocols() {
        return protocols;
    }

    /** @return the suites the server accepts */
    List<String> cipherSuites() {
        return cipherSuites;
    }

    int extraTrustAnchors() {
        return extraTrustAnchors;
    }

    TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    /** Trust managers over the JDK's anchors and the operator's, and how many the operator added. */
    record Trust(TrustManager[] managers, int extraAnchors) {
    }
}
