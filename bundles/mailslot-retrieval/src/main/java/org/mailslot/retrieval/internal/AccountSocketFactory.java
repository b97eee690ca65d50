package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;

/**
 * The TLS socket factory Angus is given for one connection ({@code mail.imap.ssl.socketFactory}
 * and its POP3 and implicit-TLS forms). Angus connects a plain socket itself and asks this factory
 * to layer TLS over it, for implicit TLS and STARTTLS/STLS alike; the factory always layers it for
 * the host the account names, with the TLS service's protocols, ciphers and verification, and
 * completes the handshake before returning, so nothing is read from the server in clear after
 * TLS was asked for.
 *
 * <p>It connects nothing itself: a plain connection made any other way would escape the TLS floor.
 */
final class AccountSocketFactory extends SSLSocketFactory {

    private final TlsService tls;
    private final String tlsHost;
    private final PeerVerification verification;
    private final AtomicReference<SSLSocket> last = new AtomicReference<>();

    AccountSocketFactory(TlsService tls, String tlsHost, PeerVerification verification) {
        this.tls = tls;
        this.tlsHost = tlsHost;
        this.verification = verification;
    }

    /** @return the last TLS socket layered, if any */
    SSLSocket lastSocket() {
        return last.get();
    }

    @Override
    public Socket createSocket(Socket plain, String ignoredHost, int port, boolean autoClose) throws IOException {
        plain.setTcpNoDelay(true);
        SSLSocket socket = tls.createClientSocket(plain, tlsHost, port, verification);
        socket.startHandshake();
        last.set(socket);
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.clientSocketFactory(verification).getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.clientSocketFactory(verification).getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket plain, InputStream consumed, boolean autoClose) throws IOException {
        throw refused();
    }

    @Override
    public Socket createSocket() throws IOException {
        throw refused();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw refused();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw refused();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw refused();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw refused();
    }

    private static IOException refused() {
        return new IOException("Mailslot layers TLS over connections it made itself only");
    }
}
