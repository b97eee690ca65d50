package org.mailslot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal SMTP client for message after message on one connection: as another MTA speaks to port 25
 * (no TLS, no login, {@link #connect}), or as a submission client ({@link #submit}: STARTTLS trusting
 * whatever certificate the listener shows, then AUTH PLAIN). {@link #send} returns the reply to the end
 * of data, which is the server's promise (250) or its refusal; a connection that breaks throws.
 */
final class MtaClient implements AutoCloseable {

    private static final SSLContext TRUST_ALL = trustAll();

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private MtaClient(Socket socket) throws IOException {
        streams(socket);
    }

    static MtaClient connect(int port) throws IOException {
        return open(port, null, null);
    }

    static MtaClient submit(int port, String user, String password) throws IOException {
        return open(port, user, password);
    }

    private static MtaClient open(int port, String user, String password) throws IOException {
        Socket socket = new Socket();
        MtaClient client = null;
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(60_000);
            client = new MtaClient(socket);
            client.expect(null, "220");
            client.expect("EHLO client.test", "250");
            if (user != null) {
                client.expect("STARTTLS", "220");
                SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(socket, "127.0.0.1", port, true);
                tls.startHandshake();
                client.streams(tls);
                client.expect("EHLO client.test", "250");
                client.expect("AUTH PLAIN " + Base64.getEncoder()
                        .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)), "235");
            }
            return client;
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            socket.close();
            throw e;
        }
    }

    private void streams(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
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

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
