package org.mailslot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A smarthost for the tests: a plain SMTP server on loopback ports that accepts every message
 * and keeps it, with the port it came in on. Speaks just what a delivery client needs (EHLO, MAIL,
 * RCPT, DATA, RSET, NOOP, QUIT; pipelined commands are answered in order).
 */
final class RelaySink implements AutoCloseable {

    /** One message as the sink received it. */
    record Received(int port, String content) {

        String messageId() {
            return DeliveredMessages.header(content, "Message-ID");
        }
    }

    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sessions = new CopyOnWriteArrayList<>();

    /** Starts listening on two free loopback ports. */
    RelaySink() {
        for (int i = 0; i < 2; i++) {
            try {
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                servers.add(server);
                Thread acceptor = new Thread(() -> accept(server), "relay-sink-" + server.getLocalPort());
                acceptor.setDaemon(true);
                acceptor.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    int firstPort() {
        return servers.get(0).getLocalPort();
    }

    int secondPort() {
        return servers.get(1).getLocalPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    long receivedOn(int port) {
        return received.stream().filter(r -> r.port() == port).count();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sessions.add(socket);
                Thread session = new Thread(() -> serve(socket, server.getLocalPort()), "relay-sink-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket, int port) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink ESMTP");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600");
                    case "HELO" -> reply(out, "250 sink");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        received.add(new Received(port, readData(in)));
                        reply(out, "250 2.0.0 kept");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "250 2.0.0 ok");
                }
            }
        } catch (IOException sessionEnded) {
            // the client went away; what it completed is kept
        }
    }

    private static String readData(BufferedReader in) throws IOException {
        StringBuilder message = new StringBuilder();
        for (String line = in.readLine(); line != null && !line.equals("."); line = in.readLine()) {
            message.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return message.toString();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        for (ServerSocket server : servers) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Socket session : sessions) {
            try {
                session.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
