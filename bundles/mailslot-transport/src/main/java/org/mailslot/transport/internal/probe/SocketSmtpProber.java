package org.mailslot.transport.internal.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.PortProbe;
import org.mailslot.api.transport.PortProbe.Reachability;
import org.mailslot.api.transport.SmtpProber;
import org.mailslot.api.transport.TlsSession;
import org.mailslot.support.net.LocalHostName;
import org.mailslot.support.text.ErrorText;
import org.mailslot.transport.internal.PortStrategies;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Probes ports with a plain socket client: greeting, EHLO, STARTTLS (or implicit TLS where the
 * port's strategy says so), EHLO again under TLS, and the certificate. Verification is tried
 * first; when it fails, the probe connects once more without verification, only to show the
 * certificate it was given. Every step waits at most the timeout; the error of a probe that timed
 * out says which reply never came.
 */
@Component(name = "org.mailslot.transport.probe", service = SmtpProber.class)
public final class SocketSmtpProber implements SmtpProber {

    private static final String TLS_ERROR = "TLS failed: ";

    private final TlsService tls;
    private final PortStrategies strategies = new PortStrategies();

    @Activate
    public SocketSmtpProber(@Reference TlsService tls) {
        this.tls = tls;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedStrategy")
    public void addStrategy(PortStrategy strategy, Map<String, Object> properties) {
        strategies.add(strategy, properties);
    }

    public void updatedStrategy(PortStrategy strategy, Map<String, Object> properties) {
        strategies.update(strategy, properties);
    }

    public void removeStrategy(PortStrategy strategy) {
        strategies.remove(strategy);
    }

    /** The MX route, whose resolver, TLS policies and DNSSEC lookups {@link #probeMx} uses. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MxRouting mx;

    /** For tests: the MX route to inspect domains with. */
    void setMx(MxRouting mx) {
        this.mx = mx;
    }

    @Override
    public MxProbe probeMx(String domain, Duration timeout) {
        MxRouting routing = mx;
        if (routing == null) {
            throw new IllegalStateException("the MX route (org.mailslot.mx) is not active");
        }
        return new MxInspector(routing, this).inspect(domain, timeout);
    }

    @Override
    public List<PortProbe> probe(String host, List<Integer> ports, Duration timeout) {
        List<PortProbe> probes = new ArrayList<>();
        for (int port : ports) {
            boolean implicit = strategies.forPort(port).tlsMode() == TlsMode.IMPLICIT;
            probes.add(probe(host, port, implicit, timeout));
        }
        return probes;
    }

    PortProbe probe(String host, int port, boolean implicitTls, Duration timeout) {
        return probeAt(host, host, port, implicitTls, timeout).probe();
    }

    /**
     * @param probe what the port looked like
     * @param chain the certificates the server presented, its own first; empty without TLS
     */
    record Probed(PortProbe probe, List<X509Certificate> chain) {
    }

    /**
     * @param host the name the certificate is checked against (and sent as SNI)
     * @param address where to connect: the host, or one of its addresses
     */
    Probed probeAt(String host, String address, int port, boolean implicitTls, Duration timeout) {
        Progress verified = session(host, address, port, implicitTls, timeout, PeerVerification.FULL, Optional.empty());
        if (verified.error.isEmpty() || verified.tls.isPresent() || !verified.error.get().startsWith(TLS_ERROR)) {
            return verified.probed();
        }
        // Verification failed: look again without it, to show the operator what the server presents.
        return session(host, address, port, implicitTls, timeout, PeerVerification.NONE,
                verified.error.map(error -> error.substring(TLS_ERROR.length()))).probed();
    }

    private Progress session(String host, String address, int port, boolean implicitTls, Duration timeout,
            PeerVerification verification, Optional<String> verificationError) {
        Progress progress = new Progress(port);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket plain = new Socket()) {
            try {
                plain.connect(new InetSocketAddress(InetAddress.getByName(address), port), millis);
            } catch (ConnectException e) {
                return progress.unreachable(Reachability.REFUSED, "connection refused");
            } catch (SocketTimeoutException e) {
                return progress.unreachable(Reachability.TIMED_OUT, "no connection within " + timeout.toMillis() + " ms");
            } catch (UnknownHostException e) {
                return progress.unreachable(Reachability.UNREACHABLE, "unknown host " + address);
            } catch (NoRouteToHostException e) {
                return progress.unreachable(Reachability.UNREACHABLE, "no route to host");
            }
            plain.setSoTimeout(millis);
            Socket socket = plain;
            if (implicitTls) {
                progress.step = "the TLS handshake";
                socket = handshake(plain, host, port, verification, verificationError, progress);
            }
            SmtpLineClient client = new SmtpLineClient(socket);
            progress.step = "the greeting";
            progress.banner = Optional.of(client.read().text());
            progress.step = "the reply to EHLO";
            List<String> extensions = extensions(client.send("EHLO " + LocalHostName.get()));
            progress.extensions = extensions;
            if (!implicitTls) {
                progress.extensionsBeforeTls = extensions;
                progress.starttlsOffered = extensions.stream().anyMatch(e -> e.equalsIgnoreCase("STARTTLS"));
            }
            if (progress.starttlsOffered) {
                progress.step = "the reply to STARTTLS";
                SmtpLineClient.Reply ready = client.send("STARTTLS");
                if (ready.code() != 220) {
                    progress.error = Optional.of("STARTTLS refused: " + ready.text());
                } else {
                    progress.step = "the TLS handshake";
                    socket = handshake(plain, host, port, verification, verificationError, progress);
                    client = new SmtpLineClient(socket);
                    progress.step = "the reply to EHLO after TLS";
                    progress.extensions = extensions(client.send("EHLO " + LocalHostName.get()));
                }
            }
            try {
                client.send("QUIT");
            } catch (IOException e) {
                // Everything worth reporting is known; how the server says goodbye is not.
            }
        } catch (TlsFailure e) {
            progress.error = Optional.of(TLS_ERROR + e.getMessage());
        } catch (SocketTimeoutException e) {
            progress.error = Optional.of("timed out: no " + progress.step.replaceFirst("^the ", "") + " within "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            progress.error = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage() + " (waiting for "
                    + progress.step + ")");
        }
        return progress;
    }

    private SSLSocket handshake(Socket plain, String host, int port, PeerVerification verification,
            Optional<String> verificationError, Progress progress) throws IOException {
        SSLSocket socket;
        try {
            socket = tls.createClientSocket(plain, host, port, verification);
            socket.startHandshake();
        } catch (SSLException e) {
            throw new TlsFailure(ErrorText.of(e));
        }
        progress.tls = Optional.of(TlsSession.of(socket.getSession(), verificationError));
        progress.chain = List.of((X509Certificate[]) socket.getSession().getPeerCertificates());
        return socket;
    }


    private static List<String> extensions(SmtpLineClient.Reply ehlo) {
        return ehlo.lines().size() > 1 ? List.copyOf(ehlo.lines().subList(1, ehlo.lines().size())) : List.of();
    }

    /** A failed TLS handshake, kept apart from other I/O errors. */
    private static final class TlsFailure extends IOException {
        private static final long serialVersionUID = 1L;

        TlsFailure(String message) {
            super(message);
        }
    }

    /** What a probe has learnt so far; it reports everything up to the step that failed. */
    private static final class Progress {
        final int port;
        Optional<String> banner = Optional.empty();
        List<String> extensionsBeforeTls = List.of();
        List<String> extensions = List.of();
        /** What the probe is waiting for, for the error if it never comes. */
        String step = "the connection";
        boolean starttlsOffered;
        Optional<TlsSession> tls = Optional.empty();
        List<X509Certificate> chain = List.of();
        Optional<String> error = Optional.empty();
        Reachability reachability = Reachability.OPEN;

        Progress(int port) {
            this.port = port;
        }

        Progress unreachable(Reachability how, String why) {
            reachability = how;
            error = Optional.of(why);
            return this;
        }

        Probed probed() {
            return new Probed(new PortProbe(port, reachability, banner, extensionsBeforeTls, extensions, starttlsOffered,
                    tls, error), chain);
        }
    }
}
