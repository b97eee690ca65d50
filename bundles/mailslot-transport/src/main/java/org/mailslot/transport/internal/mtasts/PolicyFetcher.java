package org.mailslot.transport.internal.mtasts;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLSocket;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.text.ErrorText;

/**
 * Fetches a domain's policy from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} as RFC 8461
 * section 3.3 asks: the certificate verified for {@code mta-sts.DOMAIN} with the TLS service's trust
 * anchors, a 200 answer only (no redirect followed), {@code text/plain}, at most {@link #MAX_BYTES},
 * and the whole fetch, from the first connection to the last byte, within one deadline.
 *
 * <p>The policy host's addresses come from {@link PolicyDns}, not the JVM's resolver, so the same DNS
 * answers as for the MX hosts; that is why this is a small HTTP/1.1 client of its own (one GET,
 * {@code Connection: close}) rather than the JDK's, which resolves names only through the JVM.
 */
public final class PolicyFetcher {

    /** The largest policy read: RFC 8461 section 3.3 suggests 64 KiB. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final String PATH = "/.well-known/mta-sts.txt";

    private final TlsService tls;
    private final PolicyDns dns;
    private final Duration timeout;
    private final int port;
    private final Clock clock;

    /**
     * @param tls the client TLS, whose trust anchors verify the policy host
     * @param dns where the policy host's addresses come from
     * @param timeout the whole fetch's deadline
     * @param port 443, but for tests
     * @param clock for the deadline
     */
    public PolicyFetcher(TlsService tls, PolicyDns dns, Duration timeout, int port, Clock clock) {
        this.tls = tls;
        this.dns = dns;
        this.timeout = timeout;
        this.port = port;
        this.clock = clock;
    }

    /**
     * @param domain the policy domain
     * @return the policy it serves
     * @throws IOException saying why there is none: no address, no connection, a certificate that
     *     does not verify, another status than 200, another type than text/plain, too large, too
     *     slow, or not a valid policy
     */
    public StsPolicy fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        Instant deadline = clock.instant().plus(timeout);
        List<String> failures = new ArrayList<>();
        for (InetAddress address : dns.addresses(host)) {
            String body;
            try {
                body = get(host, address, deadline);
            } catch (HttpRefusal e) {
                throw new IOException("https://" + host + PATH + ": " + e.getMessage());
            } catch (IOException e) {
                failures.add(address.getHostAddress() + ": " + ErrorText.of(e));
                continue;
            }
            try {
                return StsPolicy.parse(body);
            } catch (IllegalArgumentException e) {
                throw new IOException("https://" + host + PATH + " is not a valid policy: " + e.getMessage());
            }
        }
        throw new IOException("https://" + host + PATH + " could not be fetched: " + String.join("; ", failures));
    }

    /** The server answered, and the answer is not a policy: trying another address would not help. */
    private static final class HttpRefusal extends IOException {
        private static final long serialVersionUID = 1L;

        HttpRefusal(String message) {
            super(message);
        }
    }

    private String get(String host, InetAddress address, Instant deadline) throws IOException {
        Socket plain = new Socket();
        try (plain) {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            SSLSocket socket = tls.createClientSocket(plain, host, port, PeerVerification.FULL);
            socket.setSoTimeout(remainingMillis(deadline));
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Mailslot\r\n"
                    + "Accept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response(new DeadlineInput(socket, deadline));
        }
    }

    private static String response(DeadlineInput in) throws IOException {
        String status = in.line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new HttpRefusal("not an HTTP response: " + status);
        }
        if (!parts[1].equals("200")) {
            throw new HttpRefusal("answered " + status.substring(parts[0].length()).strip() + " (only 200 is a policy;"
                    + " redirects are not followed)");
        }
        String contentType = null;
        long length = -1;
        boolean chunked = false;
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpRefusal("malformed header line: " + line);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-length" -> length = contentLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> {
                    // Not needed for a policy.
                }
            }
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/plain")) {
            throw new HttpRefusal("served as " + (contentType == null ? "no Content-Type" : contentType)
                    + ", not text/plain");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(in.line()); size > 0; size = chunkSize(in.line())) {
                in.copy(body, size);
                in.line();
            }
        } else if (length >= 0) {
            in.copy(body, length);
        } else {
            in.copyToEnd(body);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static long contentLength(String value) throws HttpRefusal {
        try {
            long length = Long.parseLong(value);
            if (length > MAX_BYTES) {
                throw new HttpRefusal("policy of " + length + " bytes, more than the " + MAX_BYTES + " allowed");
            }
            return length;
        } catch (NumberFormatException e) {
            throw new HttpRefusal("Content-Length " + value + " is not a number");
        }
    }

    private static long chunkSize(String line) throws HttpRefusal {
        String hex = line.split(";", 2)[0].strip();
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpRefusal("chunk size " + hex + " is not hexadecimal");
        }
    }

    private int remainingMillis(Instant deadline) throws SocketTimeoutException {
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("no policy within " + timeout.toSeconds() + " s");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** The response, each read bounded by what is left of the deadline, the body by {@link #MAX_BYTES}. */
    private final class DeadlineInput {

        private final Socket socket;
        private final InputStream in;
        private final Instant deadline;
        private long bodyBytes;

        DeadlineInput(Socket socket, Instant deadline) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.deadline = deadline;
        }

        private int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = read(); c != '\n'; c = read()) {
                if (c < 0) {
                    throw new IOException("the connection closed in the middle of the response");
                }
                if (line.length() >= MAX_HEADER_LINE) {
                    throw new HttpRefusal("a line of the response is longer than " + MAX_HEADER_LINE + " bytes");
                }
                line.append((char) c);
            }
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }

        void copy(ByteArrayOutputStream body, long count) throws IOException {
            for (long i = 0; i < count; i++) {
                int c = read();
                if (c < 0) {
                    throw new IOException("the connection closed after " + i + " of " + count + " bytes");
                }
                append(body, c);
            }
        }

        void copyToEnd(ByteArrayOutputStream body) throws IOException {
            for (int c = read(); c >= 0; c = read()) {
                append(body, c);
            }
        }

        private void append(ByteArrayOutputStream body, int c) throws HttpRefusal {
            if (++bodyBytes > MAX_BYTES) {
                throw new HttpRefusal("policy larger than the " + MAX_BYTES + " bytes allowed");
            }
            body.write(c);
        }
    }
}
