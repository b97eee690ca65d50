package org.mailslot.support.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * The plain socket factory Angus is given ({@code mail.smtp.socketFactory}, {@code mail.imap.socketFactory},
 * ...): it makes unconnected sockets with {@code TCP_NODELAY}, which Angus connects and, for TLS, hands to
 * {@link LayeringSocketFactory}. The forms that would connect by themselves are refused, so that no
 * connection escapes the caller's deadlines and TLS floor. Subclasses may give the socket a different
 * class (see {@link #newSocket()}).
 */
public class UnconnectedSocketFactory extends SocketFactory {

    private final String user;

    /** @param user who connects through Angus, for the refusal's message ("Mailslot's retrieval") */
    public UnconnectedSocketFactory(String user) {
        this.user = user;
    }

    @Override
    public final Socket createSocket() throws IOException {
        Socket socket = newSocket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** @return a new unconnected socket, before {@code TCP_NODELAY} is set on it */
    protected Socket newSocket() throws IOException {
        return new Socket();
    }

    @Override
    public final Socket createSocket(String host, int port) throws IOException {
        throw refused();
    }

    @Override
    public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw refused();
    }

    @Override
    public final Socket createSocket(InetAddress host, int port) throws IOException {
        throw refused();
    }

    @Override
    public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw refused();
    }

    private IOException refused() {
        return new IOException(user + " connects its sockets through Angus only");
    }
}
