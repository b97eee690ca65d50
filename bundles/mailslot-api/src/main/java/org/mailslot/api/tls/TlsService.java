package org.mailslot.api.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * TLS in the server and the client role, from one configuration ({@value #PID}).
 *
 * <p>Every context, engine, socket factory and socket this service hands out has the configured
 * protocols (by default {@link #DEFAULT_PROTOCOLS}) and cipher suites enabled; an engine or
 * socket a returned {@link SSLContext} creates later gets them too. Client engines and sockets
 * created for a host with {@link PeerVerification#FULL} check the server's name HTTPS-style
 * (endpoint identification algorithm {@code "HTTPS"}) and send it as SNI.
 *
 * <p><b>Lifecycle.</b> The service is registered as long as its bundle is active, also while no
 * server identity is available (client TLS still works then). When the configuration or the
 * key, certificate or trust files change, the material is rebuilt and swapped in; what is
 * handed out afterwards uses the new material, while connections already open keep theirs and
 * are never cut. Callers therefore ask for an engine or socket per connection and do not cache
 * contexts or factories across connections: the calls are cheap (the contexts are built once
 * per material, not per call).
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking: every method may be called concurrently
 * from any thread, including Netty event loops. The returned contexts and factories are
 * thread-safe; engines and sockets are, as always, owned by one connection.
 *
 * <p><b>Failure.</b> Bad material (a missing file, a wrong password, an expired or not yet valid
 * certificate, a key that does not match its certificate, an unreadable file) never replaces
 * good material: the last good material stays in use, and the problem is logged and reported
 * by {@link #status()} as one line naming the file. If no server identity has ever loaded, the
 * server-role methods throw {@link TlsUnavailableException} (fail closed); the client-role
 * methods keep working with the trust anchors that did load, or the JDK's.
 */
@ProviderType
public interface TlsService {

    /** The configuration PID of the service. */
    String PID = "org.mailslot.tls";

    /** The protocols enabled when none are configured, in order of preference. */
    List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The server context of the current identity, for frameworks that take a whole context
     * (for example Netty's {@code JdkSslContext}, which must then be given {@link
     * TlsStatus#protocols()} and {@link TlsStatus#cipherSuites()} too, since it sets its own).
     *
     * @return a context whose engines and server sockets are in the server role with the
     *     configured protocols and cipher suites; {@code init} on it is refused
     * @throws TlsUnavailableException if no server identity has ever loaded
     */
    SSLContext serverContext() throws TlsUnavailableException;

    /**
     * A new engine in the server role, for one accepted connection: implicit TLS from the first
     * byte, or after STARTTLS (Netty: {@code new SslHandler(tls.serverEngine())}).
     *
     * @return a new engine with the current identity, protocols and cipher suites; it does not
     *     request client certificates
     * @throws TlsUnavailableException if no server identity has ever loaded
     */
    SSLEngine serverEngine() throws TlsUnavailableException;

    /**
     * Layers TLS in the server role over an accepted, connected plain socket, for blocking
     * servers doing STARTTLS or implicit TLS. The handshake starts with the first read or write,
     * or {@link SSLSocket#startHandshake()}.
     *
     * @param accepted the plain socket; closing the returned socket closes it
     * @return the TLS socket in the server role
     * @throws TlsUnavailableException if no server identity has ever loaded
     * @throws IOException if the socket cannot be layered (closed, not connected)
     */
    SSLSocket createServerSideSocket(Socket accepted) throws TlsUnavailableException, IOException;

    /**
     * The client context for a verification level. Engines it creates with a host and sockets
     * its factory connects to a host are set up as {@link #clientEngine} describes.
     *
     * @param verification how the server is checked
     * @return the client context of the current trust material
     */
    SSLContext clientContext(PeerVerification verification);

    /**
     * A new engine in the client role for a connection to {@code host}.
     *
     * @param host the server's host name (or address literal) as the route names it; it is sent
     *     as SNI and, with {@link PeerVerification#FULL}, must be named by the server's certificate
     * @param port the server's port, used for session resumption only
     * @param verification how the server is checked
     * @return a new engine with the configured protocols and cipher suites
     * @throws IllegalArgumentException if {@code host} is null or blank with {@link PeerVerification#FULL}
     */
    SSLEngine clientEngine(String host, int port, PeerVerification verification);

    /**
     * A socket factory in the client role, for clients that make their own sockets (Angus
     * Mail's {@code mail.smtp.ssl.socketFactory}, {@code mail.imap.ssl.socketFactory}, ...). Every
     * socket it creates has the configured protocols and cipher suites; with {@link
     * PeerVerification#FULL} it verifies the host the socket is connected or layered to.
     *
     * @param verification how servers are checked
     * @return a factory of the current trust material
     */
    SSLSocketFactory clientSocketFactory(PeerVerification verification);

    /**
     * Layers TLS in the client role over a connected plain socket, after STARTTLS (SMTP), STLS
     * (POP3) or STARTTLS (IMAP), with full verification of {@code host}.
     *
     * @see #createClientSocket(Socket, String, int, PeerVerification)
     */
    default SSLSocket createClientSocket(Socket plain, String host, int port) throws IOException {
        return createClientSocket(plain, host, port, PeerVerification.FULL);
    }

    /**
     * Layers TLS in the client role over a connected plain socket. The handshake starts with the
     * first read or write, or {@link SSLSocket#startHandshake()}; a failed verification is an
     * {@link javax.net.ssl.SSLHandshakeException} there, after which the caller must close the
     * connection and never continue in clear.
     *
     * @param plain the connected plain socket; closing the returned socket closes it
     * @param host the server's host name as the route names it (SNI, and checked with {@link
     *     PeerVerification#FULL})
     * @param port the server's port
     * @param verification how the server is checked
     * @return the TLS socket in the client role
     * @throws IOException if the socket cannot be layered
     * @throws IllegalArgumentException if {@code host} is null or blank with {@link PeerVerification#FULL}
     */
    SSLSocket createClientSocket(Socket plain, String host, int port, PeerVerification verification) throws IOException;

    /**
     * Verifies a server's certificate after a handshake that did not, without ending the connection: for
     * a sender that must report what a verification would have found yet deliver anyway (an MTA-STS
     * policy in {@code testing} mode, RFC 8461 section 5).
     *
     * @param chain the server's chain, its certificate first
     * @param host the name the certificate must carry: among its subject alternative names of type dNSName,
     *     a wildcard standing only for the whole left-most label (RFC 6125 section 6.4.3, as RFC 8461
     *     section 4.2 asks)
     * @throws CertificateException why the chain does not verify against the current trust anchors (as with
     *     {@link PeerVerification#CHAIN}: not trusted, expired), or the message {@code "No name matching HOST
     *     found"} when it does but does not name {@code host}
     */
    void verifyServer(X509Certificate[] chain, String host) throws CertificateException;

    /** @return the current state of the material, with the last error if there is one */
    TlsStatus status();
}
