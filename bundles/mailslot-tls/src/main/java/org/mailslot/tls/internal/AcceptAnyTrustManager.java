package org.mailslot.tls.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** {@link org.mailslot.api.tls.PeerVerification#NONE}: encryption without authentication, by request only. */
final class AcceptAnyTrustManager extends X509ExtendedTrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        refuse();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        refuse();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        refuse();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Accepted: the caller asked for no verification.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Accepted: the caller asked for no verification.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepted: the caller asked for no verification.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static void refuse() throws CertificateException {
        throw new CertificateException("Client contexts do not authenticate clients");
    }
}
