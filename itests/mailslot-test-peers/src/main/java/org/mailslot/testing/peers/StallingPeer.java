package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A next hop that holds a client as a hostile or broken one would, on a real socket on 127.0.0.1:
 * {@link #stopsReadingAfterData()} answers every command and 354, and then never reads again (its
 * receive buffer small, so the client's writes block); {@link #tricklesGreeting()} sends a
 * never-ending multi-line greeting a few octets at a time, so no single read ever times out.
 */
public final class StallingPeer implements AutoCloseable {

    private enum Behaviour { STOP_READING_AFTER_DATA, TRICKLE_GREETING }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger dataCommands = new AtomicInteger();

    private StallingPeer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        Thread thread = new Thread(this::acceptLoop, "stalling-peer");
        thread.setDaemon(true);
        thread.start();
    }

    public static StallingPeer stopsReadingAfterData() throws IOException {
        return new StallingPeer(Behaviour.STOP_READING_AFTER_DATA);
    }

    public static StallingPeer tricklesGreeting() throws IOException {
        return new StallingPeer(Behaviour.TRICKLE_GREETING);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** @return how many times a client got the 354 and then was left writing */
    public int dataCommands() {
        return dataCommands.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.add(socket);
                Thread thread = new Thread(() -> serve(socket), "stalling-peer-session");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            if (behaviour == Behaviour.TRICKLE_GREETING) {
                byte[] line = "220-still greeting\r\n".getBytes(StandardCharsets.US_ASCII);
                while (!socket.isClosed()) {
                    for (byte b : line) {
                        out.write(b);
                        out.flush();
                        // The peer's pace, not a wait of the test: each byte comes well within the read timeout.
                        Thread.sleep(20);
                    }
                }
                return;
            }
            InputStream in = socket.getInputStream();
            reply(out, "220 stalling.test ESMTP");
            for (String line = readLine(in); line != null; line = readLine(in)) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> reply(out, "250-stalling.test\r\n250 8BITMIME");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        dataCommands.incrementAndGet();
                        // Never reads again: holds the connection until the test ends.
                        while (!socket.isClosed()) {
                            Thread.sleep(100);
                        }
                        return;
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok");
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away.
        }
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                return line.toString().strip();
            }
            line.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
