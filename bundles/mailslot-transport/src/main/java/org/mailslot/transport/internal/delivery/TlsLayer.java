package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.mailslot.support.tls.LayeringSocketFactory;

/**
 * The TLS socket factory Angus is given: a {@link LayeringSocketFactory} that also remembers the
 * plain socket it layered TLS over. On an implicit-TLS port Angus makes that socket itself, and it
 * is the one a {@link Deadline} must close: closing the TLS socket may wait for a writer that is
 * blocked on a server that stopped reading.
 */
final class TlsLayer extends SSLSocketFactory {

    private final LayeringSocketFactory tls;
    private final Optional<TlsDemand.PeerCheck> check;
    private final AtomicReference<Socket> plain = new AtomicReference<>();
    private final AtomicReference<InetAddress> local = new AtomicReference<>();

    /**
     * @param check what is checked of the server's chain once the handshake is done: a refused chain
     *     closes the connection before any other command is sent
     */
    TlsLayer(LayeringSocketFactory tls, Optional<TlsDemand.PeerCheck> check) {
        this.tls = tls;
        this.check = check;
    }

    /** @return the plain socket beneath the last TLS socket, if TLS was layered */
    Optional<Socket> plain() {
        return Optional.ofNullable(plain.get());
    }

    /** @return our address on the connection TLS was last layered over, kept for after a failed handshake closed it */
    Optional<InetAddress> localAddress() {
        return Optional.ofNullable(local.get());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        plain.set(socket);
        local.set(socket.getLocalAddress());
        Socket layered = tls.createSocket(socket, host, port, autoClose);
        if (check.isPresent()) {
            SSLSocket secured = (SSLSocket) layered;
            secured.startHandshake();
            try {
                check.get().check((X509Certificate[]) secured.getSession().getPeerCertificates());
            } catch (CertificateException e) {
                secured.close();
                SSLHandshakeException refused = new SSLHandshakeException(e.getMessage());
                refused.initCause(e);
                throw refused;
            }
        }
        return layered;
    }

    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        return tls.createSocket(socket, consumed, autoClose);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return tls.createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tls.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tls.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tls.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tls.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public String toString() {
        return tls.toString();
    }
}
