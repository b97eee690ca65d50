package org.mailslot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An SMTP client as another MTA speaks to port 25: no TLS, no login, one connection for message after
 * message. {@link #send} returns the reply to the end of data, which is the server's promise (250) or
 * its refusal; a connection that breaks throws.
 */
final class MtaClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private MtaClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    static MtaClient connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(60_000);
            MtaClient client = new MtaClient(socket);
            client.expect(null, "220");
            client.expect("EHLO client.test", "250");
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * @param message the message, lines ended by CRLF, no line starting with a dot
     * @return the reply to the end of data, such as {@code 250 2.0.0 queued as ...}
     * @throws IOException if a command before it is refused or the connection breaks
     */
    String send(String from, String to, String message) throws IOException {
        expect("MAIL FROM:<" + from + ">", "250");
        expect("RCPT TO:<" + to + ">", "250");
        expect("DATA", "354");
        out.write((message + ".\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    private void expect(String command, String code) throws IOException {
        if (command != null) {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        String reply = reply();
        if (!reply.startsWith(code)) {
            throw new IOException((command == null ? "greeting" : command.split(" ")[0]) + " answered " + reply);
        }
    }

    private String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a connection the server may have dropped already.
        }
    }
}
