package org.mailslot.transport.internal.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import org.mailslot.api.tls.TlsService;

/**
 * A small SMTP server on a loopback port for unit tests: it records every command line it
 * receives (the bytes on the wire, as a peer sees them) and every message, and answers as told.
 * Not a real MTA: just enough of RFC 5321 for the delivery client.
 */
final class FakeSmtpServer implements AutoCloseable {

    /** One command line, with the connection it came on and whether TLS protected it. */
    record Command(int connection, String line, boolean tls) {
    }

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final TlsService tls;
    private final boolean implicitTls;
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();
    private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean offerStartTls;
    private volatile boolean offerAuth = true;
    private volatile String extraExtensions = "8BITMIME\r\n250-SMTPUTF8\r\n250-DSN";
    private volatile String mailReply = "250 2.1.0 Ok";
    private volatile String dataReply = "250 2.0.0 Ok: queued as TEST";
    private volatile String username = "user";
    private volatile String password = "secret";
    private volatile boolean dropAfterData;
    private volatile boolean offerPipelining = true;
    private volatile boolean holdReplies;
    private volatile boolean timeOutAfterData;

    private FakeSmtpServer(TlsService tls, boolean implicitTls, String address) throws IOException {
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.server = new ServerSocket(0, 50, InetAddress.getByName(address));
        executor.execute(this::acceptLoop);
    }

    /** A server on 127.0.0.1 that starts in clear; STARTTLS is offered when {@link #offerStartTls} says so. */
    static FakeSmtpServer plain(TlsService tls) throws IOException {
        return plain(tls, "127.0.0.1");
    }

    /** A server that starts in clear on the given local address, such as {@code ::1}. */
    static FakeSmtpServer plain(TlsService tls, String address) throws IOException {
        return new FakeSmtpServer(tls, false, address);
    }

    /** A server with TLS from the first byte. */
    static FakeSmtpServer implicitTls(TlsService tls) throws IOException {
        return new FakeSmtpServer(tls, true, "127.0.0.1");
    }

    FakeSmtpServer offerStartTls(boolean offer) {
        this.offerStartTls = offer;
        return this;
    }

    /** Whether AUTH is offered (in clear too: a careless server that the client must not trust). */
    FakeSmtpServer offerAuth(boolean offer) {
        this.offerAuth = offer;
        return this;
    }

    FakeSmtpServer extensions(String... keywords) {
        this.extraExtensions = String.join("\r\n250-", keywords);
        return this;
    }

    FakeSmtpServer rcptReply(String address, String reply) {
        rcptReplies.put(address, reply);
        return this;
    }

    FakeSmtpServer mailReply(String reply) {
        this.mailReply = reply;
        return this;
    }

    FakeSmtpServer dataReply(String reply) {
        this.dataReply = reply;
        return this;
    }

    FakeSmtpServer credentials(String user, String pass) {
        this.username = user;
        this.password = pass;
        return this;
    }

    /** Closes each connection right after the reply to DATA's end, without QUIT: a dead pooled connection. */
    FakeSmtpServer dropAfterData(boolean drop) {
        this.dropAfterData = drop;
        return this;
    }

    FakeSmtpServer offerPipelining(boolean offer) {
        this.offerPipelining = offer;
        return this;
    }

    /**
     * Holds the replies to MAIL and RCPT until DATA arrives, then sends them all: a client that
     * waits for each reply before the next command (no PIPELINING) waits until its read timeout.
     */
    FakeSmtpServer holdRepliesUntilData(boolean hold) {
        this.holdReplies = hold;
        return this;
    }

    /**
     * Answers the first command after each message with 421 and closes, as a server whose idle
     * timeout ran out while the connection sat in the client's pool.
     */
    FakeSmtpServer timeOutAfterData(boolean timeOut) {
        this.timeOutAfterData = timeOut;
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    List<Command> commands() {
        return List.copyOf(commands);
    }

    List<String> lines() {
        return commands.stream().map(Command::line).toList();
    }

    List<byte[]> messages() {
        return List.copyOf(messages);
    }

    int connections() {
        return connections.get();
    }

    int closedConnections() {
        return closedConnections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                int id = connections.incrementAndGet();
                executor.execute(() -> serve(socket, id));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket accepted, int id) {
        Socket socket = accepted;
        try {
            socket.setSoTimeout(20_000);
            if (implicitTls) {
                SSLSocket secured = tls.createServerSideSocket(socket);
                secured.setUseClientMode(false);
                secured.startHandshake();
                socket = secured;
            }
            boolean secure = implicitTls;
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            reply(out, "220 fake.test ESMTP");
            boolean mailAccepted = false;
            int recipientsAccepted = 0;
            int recipientsAsked = 0;
            StringBuilder held = new StringBuilder();
            boolean timedOut = false;
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(new Command(id, line, secure));
                if (timedOut) {
                    reply(out, "421 4.4.2 fake.test Error: timeout exceeded");
                    return;
                }
                String verb = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
                switch (verb.toUpperCase()) {
                    case "EHLO" -> reply(out, "250-fake.test\r\n250-" + extraExtensions
                            + (offerStartTls && !secure ? "\r\n250-STARTTLS" : "")
                            + (offerAuth ? "\r\n250-AUTH PLAIN LOGIN" : "")
                            + (offerPipelining ? "\r\n250-PIPELINING" : "") + "\r\n250 HELP");
                    case "HELO" -> reply(out, "250 fake.test");
                    case "STARTTLS" -> {
                        reply(out, "220 2.0.0 Ready to start TLS");
                        SSLSocket secured = tls.createServerSideSocket(socket);
                        secured.setUseClientMode(false);
                        secured.startHandshake();
                        socket = secured;
                        in = socket.getInputStream();
                        out = socket.getOutputStream();
                        secure = true;
                    }
                    case "AUTH" -> reply(out, authenticate(line, in, out, id, secure));
                    case "MAIL" -> {
                        mailAccepted = mailReply.startsWith("2");
                        hold(out, held, mailReply);
                    }
                    case "RCPT" -> {
                        String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        String reply = mailAccepted ? rcptReplies.getOrDefault(address, "250 2.1.5 Ok")
                                : "503 5.5.1 Error: need MAIL command";
                        recipientsAsked++;
                        recipientsAccepted += reply.startsWith("2") ? 1 : 0;
                        hold(out, held, reply);
                    }
                    case "DATA" -> {
                        if (held.length() > 0) {
                            out.write(held.toString().getBytes(StandardCharsets.UTF_8));
                            held.setLength(0);
                        }
                        if (recipientsAccepted == 0) {
                            // As Postfix answers (RFC 2920 section 3.1: DATA is refused, not started).
                            reply(out, recipientsAsked == 0 ? "503 5.5.1 Error: need RCPT command"
                                    : "554 5.5.1 Error: no valid recipients");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        messages.add(readData(in));
                        reply(out, dataReply);
                        mailAccepted = false;
                        recipientsAccepted = 0;
                        recipientsAsked = 0;
                        timedOut = timeOutAfterData;
                        if (dropAfterData) {
                            // The TCP connection itself, at once: no TLS close_notify exchange.
                            accepted.close();
                            return;
                        }
                    }
                    case "RSET", "NOOP" -> {
                        if (verb.equalsIgnoreCase("RSET")) {
                            mailAccepted = false;
                            recipientsAccepted = 0;
                            recipientsAsked = 0;
                        }
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (Exception e) {
            // The client went away or the handshake failed: the test looks at what was recorded.
        } finally {
            closedConnections.incrementAndGet();
            try {
                socket.close();
            } catch (IOException e) {
                // Closed already.
            }
        }
    }

    private String authenticate(String line, InputStream in, OutputStream out, int id, boolean secure) throws IOException {
        String[] parts = line.split(" ");
        String user;
        String pass;
        if (parts[1].equalsIgnoreCase("PLAIN")) {
            String response = parts.length > 2 ? parts[2] : null;
            if (response == null) {
                reply(out, "334 ");
                response = readLine(in);
                commands.add(new Command(id, response, secure));
            }
            String[] fields = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8).split("\0", -1);
            user = fields[1];
            pass = fields[2];
        } else if (parts[1].equalsIgnoreCase("LOGIN")) {
            reply(out, "334 VXNlcm5hbWU6");
            String u = readLine(in);
            commands.add(new Command(id, u, secure));
            reply(out, "334 UGFzc3dvcmQ6");
            String p = readLine(in);
            commands.add(new Command(id, p, secure));
            user = new String(Base64.getDecoder().decode(u), StandardCharsets.UTF_8);
            pass = new String(Base64.getDecoder().decode(p), StandardCharsets.UTF_8);
        } else {
            return "504 5.5.4 Unrecognized authentication type";
        }
        return user.equals(username) && pass.equals(password) ? "235 2.7.0 Authentication successful"
                : "535 5.7.8 Error: authentication failed";
    }

    private void hold(OutputStream out, StringBuilder held, String reply) throws IOException {
        if (holdReplies) {
            held.append(reply).append("\r\n");
        } else {
            reply(out, reply);
        }
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        return null;
    }

    /** Reads DATA up to the lone dot, undoing dot-stuffing: the octets the client meant. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        List<Byte> line = new ArrayList<>();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            line.add((byte) b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = new byte[line.size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = line.get(i);
                }
                line.clear();
                if (bytes.length == 3 && bytes[0] == '.') {
                    return message.toByteArray();
                }
                int start = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
                message.write(bytes, start, bytes.length - start);
            }
            previous = b;
        }
        throw new IOException("connection closed in DATA");
    }

    /** Drops every open connection at once, as a server restart would. */
    void dropConnections() throws IOException {
        for (Socket socket : open) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        executor.shutdownNow();
    }
}
