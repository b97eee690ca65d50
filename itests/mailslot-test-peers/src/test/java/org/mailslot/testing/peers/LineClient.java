package org.mailslot.testing.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A tiny line-based client for SMTP, IMAP and POP3 exchanges in tests (CRLF lines, 10 s timeouts). */
final class LineClient implements AutoCloseable {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private final List<String> transcript = new ArrayList<>();

    private LineClient(Socket socket) throws IOException {
        attach(socket);
    }

    static LineClient plain(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        return new LineClient(socket);
    }

    /** Implicit TLS with hostname (IP SAN) verification. */
    static LineClient tls(SSLContext context, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return new LineClient(socket);
    }

    /** Upgrades the connection (after STARTTLS/STLS was accepted). */
    void startTls(SSLContext context, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setUseClientMode(true);
        tls.startHandshake();
        attach(tls);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(10_000);
        this.in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        this.out = s.getOutputStream();
    }

    SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    void send(String line) throws IOException {
        transcript.add("C: " + line);
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** @return the next line, or null at end of stream */
    String readLine() throws IOException {
        String line = in.readLine();
        transcript.add("S: " + line);
        return line;
    }

    /** Reads lines up to and including the first that matches (or end of stream). */
    List<String> readUntil(Predicate<String> last) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine()) != null) {
            lines.add(line);
            if (last.test(line)) {
                break;
            }
        }
        return lines;
    }

    /** Reads one SMTP reply (possibly multi-line). */
    List<String> smtpReply() throws IOException {
        return readUntil(line -> line.length() < 4 || line.charAt(3) == ' ');
    }

    /** Sends an IMAP command with a tag and reads to its tagged reply. */
    List<String> imap(String tag, String command) throws IOException {
        send(tag + " " + command);
        return readUntil(line -> line.startsWith(tag + " "));
    }

    String transcript() {
        return String.join("\n", transcript);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
