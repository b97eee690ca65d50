package org.mailslot.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.mailslot.testing.peers.PeerException;

/**
 * A submission client, which smtp-source is not: STARTTLS, AUTH PLAIN, then messages in lock-step
 * (MAIL, RCPT, DATA, each answered before the next, as smtp-source speaks), each session sending
 * messages until the count is reached, over one connection (a login and a TLS handshake per session,
 * not per message, so that they weigh as little as they can against what is measured). The server's
 * certificate is not checked: it is the distribution's self-signed one, on loopback.
 */
final class SubmissionClient {

    private SubmissionClient() {
    }

    /**
     * @param message the message, CRLF line ends, no line starting with a dot
     * @return nanoseconds from the first connection until the last message was answered 250
     */
    static long run(byte[] message, String host, int port, int sessions, int messages, String user, String password,
            String sender, String recipient) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                futures.add(threads.submit(() -> {
                    try (Session session = Session.open(tls, host, port, user, password)) {
                        while (next.getAndIncrement() < messages) {
                            session.send(sender, recipient, message);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return System.nanoTime() - start;
        } finally {
            threads.shutdownNow();
        }
    }

    private static final class Session implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Session(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16384);
        }

        static Session open(SSLContext tls, String host, int port, String user, String password) throws IOException {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(host, port), 10_000);
            plain.setSoTimeout(60_000);
            plain.setTcpNoDelay(true);
            Session clear = new Session(plain);
            clear.expect("220");
            clear.command("EHLO bench.test", "250");
            clear.command("STARTTLS", "220");
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            secure.startHandshake();
            Session session = new Session(secure);
            session.command("EHLO bench.test", "250");
            String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                    .getBytes(StandardCharsets.UTF_8));
            session.command("AUTH PLAIN " + credentials, "235");
            return session;
        }

        void send(String sender, String recipient, byte[] message) throws IOException {
            command("MAIL FROM:<" + sender + ">", "250");
            command("RCPT TO:<" + recipient + ">", "250");
            command("DATA", "354");
            out.write(message);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect("250");
        }

        private void command(String line, String code) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(code);
        }

        /** Reads a whole reply (its continuation lines too) and checks its code. */
        private void expect(String code) throws IOException {
            while (true) {
                String line = readLine();
                if (!line.startsWith(code)) {
                    throw new PeerException("expected " + code + ", got: " + line);
                }
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return;
                }
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new PeerException("the server closed the connection after: " + line);
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                command("QUIT", "221");
            } finally {
                socket.close();
            }
        }
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // The distribution's self-signed certificate on loopback: nothing to check against.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
