package org.mailslot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Client threads that keep submitting over SMTP as a mail client does — STARTTLS, AUTH PLAIN, one
 * message per connection — to whatever port the submission listener is on now, and record what
 * the listener answered: which messages it acknowledged with 250, and every session that ended
 * without an answer.
 */
final class SubmissionLoad implements AutoCloseable {

    /** A message the listener acknowledged. */
    record Acknowledged(String messageId, String recipient, String spoolId, int port) {
    }

    /**
     * An SMTP exchange that got no answer: refused, dropped or timed out.
     *
     * @param during the swap under way when it began or ended, or an empty string
     */
    record Unanswered(int port, String what, String during) {
    }

    private final String tag;
    private final String user;
    private final String password;
    private final IntFunction<String> recipientOf;
    private final AtomicInteger port = new AtomicInteger();
    private final AtomicReference<String> swap = new AtomicReference<>("");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Unanswered> unanswered = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
    private final List<Thread> clients = new ArrayList<>();
    private final SSLContext trustingTls;

    /**
     * @param tag what the Message-IDs and bodies of this load start with, unique per test
     * @param recipientOf the recipient of the n-th message
     */
    SubmissionLoad(String tag, int initialPort, String user, String password, IntFunction<String> recipientOf)
            throws Exception {
        this.tag = tag;
        this.port.set(initialPort);
        this.user = user;
        this.password = password;
        this.recipientOf = recipientOf;
        // The listener's certificate is the distribution's generated self-signed one.
        this.trustingTls = SSLContext.getInstance("TLS");
        trustingTls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
    }

    void start(int threads) {
        for (int i = 0; i < threads; i++) {
            Thread client = new Thread(this::submitUntilStopped, "hotswap-client-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
    }

    /** Marks the time a swap is under way, so that what went unanswered meanwhile is attributed to it. */
    void swapping(String what) {
        swap.set(what);
    }

    /** Marks the end of a swap. */
    void swapped() {
        swap.set("");
    }

    /** Sends the clients to the listener's new port. */
    void follow(int newPort) {
        port.set(newPort);
    }

    List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    List<Unanswered> unanswered() {
        return List.copyOf(unanswered);
    }

    /** @return how often each final reply code was seen (250, 421, 451, ...) */
    Map<String, Integer> replyCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        replies.forEach((code, count) -> counts.put(code, count.get()));
        return counts;
    }

    private void submitUntilStopped() {
        while (running.get()) {
            int n = sequence.incrementAndGet();
            submitOne(n, recipientOf.apply(n));
        }
    }

    private void submitOne(int n, String recipient) {
        int target = port.get();
        String during = swap.get();
        String messageId = "<" + tag + "-" + n + "@itest.mailslot>";
        Socket plain = new Socket();
        try {
            try {
                plain.connect(new InetSocketAddress("127.0.0.1", target), 5_000);
            } catch (ConnectException refused) {
                unanswered.add(new Unanswered(target, "connection refused", during.isEmpty() ? swap.get() : during));
                plain.close();
                return;
            }
            plain.setSoTimeout(20_000);
            Session session = new Session(plain);
            if (!session.expect("220", null)) {
                return;
            }
            if (!session.expect("250", "EHLO hotswap.itest") || !session.expect("220", "STARTTLS")) {
                return;
            }
            SSLSocket tls = (SSLSocket) trustingTls.getSocketFactory().createSocket(plain, "127.0.0.1", target, true);
            tls.startHandshake();
            session = new Session(tls);
            String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                    .getBytes(StandardCharsets.UTF_8));
            if (!session.expect("250", "EHLO hotswap.itest") || !session.expect("235", "AUTH PLAIN " + credentials)
                    || !session.expect("250", "MAIL FROM:<" + user + "@localhost>")
                    || !session.expect("250", "RCPT TO:<" + recipient + ">") || !session.expect("354", "DATA")) {
                return;
            }
            String reply = session.command(message(n, messageId, recipient) + ".");
            count(reply);
            if (reply.startsWith("250")) {
                java.util.regex.Matcher queued = java.util.regex.Pattern.compile("queued as (\\S+)").matcher(reply);
                acknowledged.add(new Acknowledged(messageId, recipient, queued.find() ? queued.group(1) : "", target));
                session.command("QUIT");
            }
        } catch (SocketTimeoutException e) {
            unanswered.add(new Unanswered(target, "no answer within 20 s", during.isEmpty() ? swap.get() : during));
        } catch (IOException e) {
            unanswered.add(new Unanswered(target, "connection lost without an answer: " + e, during.isEmpty() ? swap.get() : during));
        } finally {
            try {
                plain.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void count(String reply) {
        String code = reply.length() >= 3 ? reply.substring(0, 3) : reply;
        replies.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The body line that shows whether a stored message is readable in clear. */
    String bodyMarker(int n) {
        return tag.toUpperCase(java.util.Locale.ROOT) + "-BODY-" + n;
    }

    private String message(int n, String messageId, String recipient) {
        return "From: <submitter@localhost>\r\nTo: <" + recipient + ">\r\nSubject: " + tag + " " + n + "\r\n"
                + "Message-ID: " + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "\r\nMessage number " + n + " of the load.\r\n" + bodyMarker(n) + "\r\n";
    }

    /** One SMTP connection's command/reply exchange. */
    private final class Session {

        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        /**
         * @param command what to send, or null to read the greeting
         * @return true if the reply had the expected code; otherwise it is counted and the session ends
         */
        boolean expect(String code, String command) throws IOException {
            String reply = command == null ? reply() : command(command);
            if (reply.startsWith(code)) {
                return true;
            }
            count(reply);
            return false;
        }

        /** A reply the server sent before it closed (421) counts as the answer to a command that could not be sent. */
        String command(String line) throws IOException {
            try {
                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException sendFailed) {
                String pending = reply();
                if (pending.startsWith("421")) {
                    return pending;
                }
                throw sendFailed;
            }
            return reply();
        }

        /** @return the last line of a (possibly multi-line) reply */
        String reply() throws IOException {
            String line = in.readLine();
            while (line != null && line.length() > 3 && line.charAt(3) == '-') {
                line = in.readLine();
            }
            if (line == null) {
                throw new IOException("the connection closed without a reply");
            }
            return line;
        }
    }

    /** Stops the clients after the message each one is submitting. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(30_000);
        }
    }
}
