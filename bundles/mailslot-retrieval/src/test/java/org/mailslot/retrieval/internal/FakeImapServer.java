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
 * A scripted IMAP server on 127.0.0.1 for what a real server does not do: greet with PREAUTH,
 * not offer STARTTLS, or inject a response after "OK Begin TLS" in the same packet. It records
 * every command line it receives, marked with whether TLS was up.
 */
final class FakeImapServer implements AutoCloseable {

    enum Behaviour { INJECT_AFTER_STARTTLS, PREAUTH_IN_CLEAR, NO_STARTTLS }

    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final SSLContext tls;
    private final Behaviour behaviour;
    private final Thread thread;

    FakeImapServer(SSLContext tls, Behaviour behaviour) throws IOException {
        this.tls = tls;
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "fake-imap");
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
        write(socket, behaviour == Behaviour.PREAUTH_IN_CLEAR ? "* PREAUTH IMAP4rev1 logged in already\r\n"
                : "* OK IMAP4rev1 fake ready\r\n");
        BufferedReader in = reader(socket);
        String line;
        while ((line = in.readLine()) != null) {
            received.add((secure ? "tls: " : "clear: ") + line);
            String[] parts = line.split(" ", 3);
            String tag = parts[0];
            String command = parts.length > 1 ? parts[1].toUpperCase(java.util.Locale.ROOT) : "";
            switch (command) {
                case "CAPABILITY" -> write(socket, "* CAPABILITY IMAP4rev1 "
                        + (secure ? "AUTH=PLAIN" : behaviour == Behaviour.NO_STARTTLS ? "AUTH=PLAIN" : "STARTTLS LOGINDISABLED")
                        + "\r\n" + tag + " OK done\r\n");
                case "STARTTLS" -> {
                    // The injection: a tagged answer to the command the client will send next, in the same
                    // packet as the go-ahead, before the handshake.
                    write(socket, tag + " OK Begin TLS\r\nA2 NO injected before TLS\r\n* BYE injected\r\n");
                    SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    tlsSocket.setUseClientMode(false);
                    tlsSocket.startHandshake();
                    socket = tlsSocket;
                    secure = true;
                    in = reader(socket);
                }
                case "LOGIN", "AUTHENTICATE" -> write(socket, tag + " OK logged in\r\n");
                case "LIST" -> write(socket, "* LIST () \"/\" INBOX\r\n" + tag + " OK done\r\n");
                case "STATUS" -> write(socket, "* STATUS INBOX (MESSAGES 0)\r\n" + tag + " OK done\r\n");
                case "LOGOUT" -> {
                    write(socket, "* BYE bye\r\n" + tag + " OK done\r\n");
                    return;
                }
                default -> write(socket, tag + " OK done\r\n");
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
