package org.mailslot.tlsrpt.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.text.ErrorText;

/**
 * Posts a report to an {@code https:} rua (RFC 8460 section 5.4): {@code Content-Type:
 * application/tlsrpt+gzip}, the certificate verified for the URI's host with the TLS service's trust
 * anchors, the host's addresses from {@link PolicyDns} (the resolver MX delivery uses), one request
 * per connection. Any 2xx answer is a success; a redirect is not followed.
 */
final class ReportPost {

    static final String MEDIA_TYPE = "application/tlsrpt+gzip";

    private final TlsService tls;
    private final PolicyDns dns;
    private final Duration timeout;

    ReportPost(TlsService tls, PolicyDns dns, Duration timeout) {
        this.tls = tls;
        this.dns = dns;
        this.timeout = timeout;
    }

    /**
     * @return the server's status line, such as {@code HTTP/1.1 200 OK}
     * @throws IOException if no address took the report, or the answer was not 2xx
     */
    String post(URI uri, byte[] gzip) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        List<String> failures = new ArrayList<>();
        for (InetAddress address : dns.addresses(host)) {
            String status;
            try {
                status = post(host, port, path, address, gzip);
            } catch (IOException e) {
                failures.add(address.getHostAddress() + ": " + ErrorText.of(e));
                continue;
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].startsWith("2") || parts[1].length() != 3) {
                throw new IOException("answered " + status);
            }
            return status;
        }
        throw new IOException("not posted: " + String.join("; ", failures));
    }

    private String post(String host, int port, String path, InetAddress address, byte[] gzip) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Socket plain = new Socket();
        try (plain) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            SSLSocket socket = tls.createClientSocket(plain, host, port, PeerVerification.FULL);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + (port == 443 ? "" : ":" + port)
                    + "\r\nUser-Agent: Mailslot\r\nContent-Type: " + MEDIA_TYPE + "\r\nContent-Length: " + gzip.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(gzip);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            if (status == null) {
                throw new IOException("the connection closed without an answer");
            }
            return status.strip();
        }
    }
}
