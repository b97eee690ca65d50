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
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted line-based server on 127.0.0.1, for what a real server does not do: one thread per
 * session, a greeting, one {@link Answer} per command line, and TLS started in place when an answer
 * says so. It records every command line it receives, marked with whether TLS was up.
 */
abstract class FakeTextServer implements AutoCloseable {

    /** What the server does after writing an answer. */
    enum Then { CONTINUE, START_TLS, CLOSE }

    /** The text written for a command line (possibly several lines, possibly injected ones), then what follows. */
    record Answer(String text, Then then) {
        static Answer reply(String text) {
            return new Answer(text, Then.CONTINUE);
        }
    }

    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final SSLContext tls;

    FakeTextServer(SSLContext tls, String name) throws IOException {
        this.tls = tls;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the greeting sent when a client connects */
    abstract String greeting();

    /** @return the answer to one command line, given whether TLS is up */
    abstract Answer answer(String line, boolean secure);

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
        write(socket, greeting());
        BufferedReader in = reader(socket);
        String line;
        while ((line = in.readLine()) != null) {
            received.add((secure ? "tls: " : "clear: ") + line);
            Answer answer = answer(line, secure);
            write(socket, answer.text());
            if (answer.then() == Then.CLOSE) {
                return;
            }
            if (answer.then() == Then.START_TLS) {
                SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                        socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                tlsSocket.setUseClientMode(false);
                tlsSocket.startHandshake();
                socket = tlsSocket;
                secure = true;
                in = reader(socket);
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
