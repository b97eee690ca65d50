package org.mailslot.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the one server identity of a material. Avoids an in-memory key store (and its key
 * password); the service never presents a client certificate.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "mailslot";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final String keyType;

    SingleKeyManager(Identity identity) {
        this.key = identity.key();
        this.chain = identity.chain().toArray(new X509Certificate[0]);
        this.keyType = keyType(identity.key().getAlgorithm());
    }

    static String keyType(String algorithm) {
        return "ECDSA".equals(algorithm) ? "EC" : algorithm;
    }

    private String aliasFor(String type) {
        return keyType.equals(type) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String type, Principal[] issuers) {
        return aliasFor(type) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
        return aliasFor(type);
    }

    @Override
    public String chooseEngineServerAlias(String type, Principal[] issuers, SSLEngine engine) {
        return aliasFor(type);
    }

    @Override
    public String[] getClientAliases(String type, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] types, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
