package org.mailslot.retrieval.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted POP3 server on 127.0.0.1 that injects a line after "+OK Begin TLS" in the same packet,
 * or offers no STLS. It records every command line, marked with whether TLS was up.
 */
final class FakePop3Server implements AutoCloseable {

    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean offerStls;

    FakePop3Server(SSLContext tls, boolean offerStls) throws IOException {
        this.tls = tls;
        this.offerStls = offerStls;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "fake-pop3");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                // A session per thread: the account's own connection stays open beside account-test's.
                Thread session = new Thread(() -> {
                    try (socket) {
                        session(socket);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                // the test closed the server
            }
        }
    }

    private void session(Socket plain) throws IOException {
        Socket socket = plain;
        boolean secure = false;
        write(socket, "+OK fake POP3 ready\r\n");
        BufferedReader in = reader(socket);
        String line;
        while ((line = in.readLine()) != null) {
            received.add((secure ? "tls: " : "clear: ") + line);
            String command = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (command) {
                case "CAPA" -> write(socket, "+OK\r\n" + (secure || !offerStls ? "USER\r\nUIDL\r\n" : "STLS\r\nUIDL\r\n")
                        + ".\r\n");
                case "STLS" -> {
                    write(socket, "+OK Begin TLS\r\n-ERR injected before TLS\r\n");
                    SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    tlsSocket.setUseClientMode(false);
                    tlsSocket.startHandshake();
                    socket = tlsSocket;
                    secure = true;
                    in = reader(socket);
                }
                case "STAT" -> write(socket, "+OK 0 0\r\n");
                case "UIDL", "LIST" -> write(socket, "+OK\r\n.\r\n");
                case "QUIT" -> {
                    write(socket, "+OK bye\r\n");
                    return;
                }
                default -> write(socket, "+OK\r\n");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
