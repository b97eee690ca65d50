package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The plain sockets Angus connects: no Nagle, bytes leave on flush, several flushes held as one. */
class PlainSocketFactoryTest {

    @Test
    void socketsHaveNoNagleDelay() throws IOException {
        try (Socket socket = new PlainSocketFactory().createSocket()) {
            assertThat(socket.getTcpNoDelay()).isTrue();
            assertThat(socket.isConnected()).isFalse();
        }
    }

    @Test
    void itNeverConnectsBySelf() {
        PlainSocketFactory factory = new PlainSocketFactory();
        assertThatThrownBy(() -> factory.createSocket("127.0.0.1", 25)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> factory.createSocket(InetAddress.getLoopbackAddress(), 25))
                .isInstanceOf(IOException.class);
    }

    @Test
    void whatIsWrittenWhileHeldArrivesWhenReleased() throws IOException {
        PlainSocketFactory factory = new PlainSocketFactory();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = factory.createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                OutputStream out = client.getOutputStream();
                factory.hold();
                out.write("MAIL FROM:<a@b>\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                factory.release();
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();

                InputStream in = accepted.getInputStream();
                assertThat(new String(in.readNBytes(29), StandardCharsets.US_ASCII))
                        .isEqualTo("MAIL FROM:<a@b>\r\nDATA\r\nQUIT\r\n");
            }
        }
    }
}
