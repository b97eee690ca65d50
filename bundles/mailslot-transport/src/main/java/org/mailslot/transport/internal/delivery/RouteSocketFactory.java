package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;

/**
 * The TLS socket factory Angus is given for one connection ({@code mail.smtp.ssl.socketFactory},
 * {@code mail.smtps.ssl.socketFactory}). Angus connects a plain socket itself and asks this
 * factory to layer TLS over it, for implicit TLS and for STARTTLS alike; the factory always
 * layers it for the host the route names, whatever host name Angus passes (after STARTTLS Angus
 * may pass the name it connected to, which for an MX host is its address), and keeps the socket
 * so that the delivery can report the TLS negotiated.
 *
 * <p>It creates no unconnected sockets and connects to nothing itself: a plain connection made
 * any other way would escape the TLS floor.
 */
final class RouteSocketFactory extends SSLSocketFactory {

    private final TlsService tls;
    private final String tlsHost;
    private final PeerVerification verification;
    private final AtomicReference<SSLSocket> last = new AtomicReference<>();

    /**
     * @param tls the TLS service of the moment
     * @param tlsHost the name the certificate must carry (and the SNI)
     * @param verification how the certificate is checked
     */
    RouteSocketFactory(TlsService tls, String tlsHost, PeerVerification verification) {
        this.tls = tls;
        this.tlsHost = tlsHost;
        this.verification = verification;
    }

    /** @return the last TLS socket this factory layered, if any */
    Optional<SSLSocket> lastSocket() {
        return Optional.ofNullable(last.get());
    }

    PeerVerification verification() {
        return verification;
    }

    @Override
    public Socket createSocket(Socket plain, String ignoredHost, int port, boolean autoClose) throws IOException {
        // Implicit TLS: Angus made this socket itself; see PlainSocketFactory for why.
        plain.setTcpNoDelay(true);
        SSLSocket socket = tls.createClientSocket(plain, tlsHost, port, verification);
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

    @Override
    public String toString() {
        return "RouteSocketFactory[" + tlsHost + ", " + verification.configName() + "]";
    }
}
