package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * The plain socket factory Angus is given ({@code mail.imap.socketFactory}, ...): unconnected
 * sockets with {@code TCP_NODELAY}, which Angus connects and then hands to {@link
 * org.mailslot.support.tls.LayeringSocketFactory} for TLS. The forms that would connect by themselves are refused.
 */
final class PlainSocketFactory extends SocketFactory {

    static final PlainSocketFactory INSTANCE = new PlainSocketFactory();

    private PlainSocketFactory() {
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        return socket;
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
        return new IOException("Mailslot's retrieval connects its sockets through Angus only");
    }
}
