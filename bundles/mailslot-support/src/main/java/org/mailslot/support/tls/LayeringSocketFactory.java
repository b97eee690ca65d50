package org.mailslot.support.tls;

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
 * {@code mail.imap.ssl.socketFactory} and their implicit-TLS and POP3 forms). Angus connects a
 * plain socket itself and asks this factory to layer TLS over it, for implicit TLS and STARTTLS
 * alike; the factory always layers it for the host the route or account names, whatever host name
 * Angus passes (after STARTTLS it may pass the address it connected to), with the TLS service's
 * protocols, ciphers and verification, and keeps the socket so that the caller can report the TLS
 * negotiated.
 *
 * <p>It creates no unconnected sockets and connects to nothing itself: a plain connection made
 * any other way would escape the TLS floor.
 */
public final class LayeringSocketFactory extends SSLSocketFactory {

    private final TlsService tls;
    private final String tlsHost;
    private final PeerVerification verification;
    private final boolean handshakeAtOnce;
    private final AtomicReference<SSLSocket> last = new AtomicReference<>();

    /**
     * @param tls the TLS service of the moment
     * @param tlsHost the name the certificate must carry (and the SNI)
     * @param verification how the certificate is checked
     * @param handshakeAtOnce complete the handshake before returning the socket, so that nothing
     *     can be read from the server in clear after TLS was asked for (for clients that would
     *     otherwise read first)
     */
    public LayeringSocketFactory(TlsService tls, String tlsHost, PeerVerification verification,
            boolean handshakeAtOnce) {
        this.tls = tls;
        this.tlsHost = tlsHost;
        this.verification = verification;
        this.handshakeAtOnce = handshakeAtOnce;
    }

    /** @return the last TLS socket this factory layered, if any */
    public Optional<SSLSocket> lastSocket() {
        return Optional.ofNullable(last.get());
    }

    /** @return how this factory checks certificates */
    public PeerVerification verification() {
        return verification;
    }

    @Override
    public Socket createSocket(Socket plain, String ignoredHost, int port, boolean autoClose) throws IOException {
        // Angus made the plain socket itself (implicit TLS) and never set TCP_NODELAY on it.
        plain.setTcpNoDelay(true);
        SSLSocket socket = tls.createClientSocket(plain, tlsHost, port, verification);
        if (handshakeAtOnce) {
            socket.startHandshake();
        }
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
        return "LayeringSocketFactory[" + tlsHost + ", " + verification.configName() + "]";
    }
}
