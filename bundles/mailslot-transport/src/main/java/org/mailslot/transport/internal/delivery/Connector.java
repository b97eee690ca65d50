package org.mailslot.transport.internal.delivery;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.TlsSession;
import org.mailslot.support.net.LocalHostName;
import org.mailslot.support.text.ErrorText;
import org.mailslot.support.tls.LayeringSocketFactory;

/**
 * Opens SMTP sessions with Angus, on {@link Session}s of its own ({@code Session.getInstance},
 * never the JVM-wide default), the transport class chosen by the port's TLS mode: {@code
 * SMTPSSLTransport} for implicit TLS, {@code SMTPTransport} with STARTTLS required, when offered,
 * or off.
 *
 * <p>Why sessions are reused: making one looks every mail provider up through the framework's
 * service loader (SPI Fly, in OSGi), which cost more processor time than the whole SMTP
 * transaction. A session is lent to one connection attempt at a time, which puts its socket
 * factories into the session's properties: Angus reads them only while it connects, in the thread
 * that connects. The rest of the properties are fixed by the {@link Shape} the session is kept under.
 */
final class Connector {

    /** What a session's properties say, but for the socket factories of one connection. */
    private record Shape(boolean implicit, TlsMode mode, long connectMillis, long readMillis, Optional<String> ehloName) {

        String prefix() {
            return implicit ? "mail.smtps" : "mail.smtp";
        }

        Properties properties() {
            String prefix = prefix();
            Properties props = new Properties();
            props.setProperty(prefix + ".connectiontimeout", Long.toString(connectMillis));
            props.setProperty(prefix + ".timeout", Long.toString(readMillis));
            // Angus would retry a failed TLS connection with the JDK's default factory: never.
            props.setProperty(prefix + ".socketFactory.fallback", "false");
            // The TLS service verifies (chain, and with FULL the host name); Angus's own check
            // would impose a host name check where tls.verify=false asked for the chain only.
            props.setProperty(prefix + ".ssl.checkserveridentity", "false");
            props.setProperty(prefix + ".starttls.enable",
                    Boolean.toString(mode == TlsMode.STARTTLS_REQUIRED || mode == TlsMode.STARTTLS_OPPORTUNISTIC));
            props.setProperty(prefix + ".starttls.required", Boolean.toString(mode == TlsMode.STARTTLS_REQUIRED));
            props.setProperty(prefix + ".auth", "false");
            props.setProperty("mail.mime.allowutf8", "true");
            // Angus would look the name up itself, otherwise; one lookup, one name.
            props.setProperty(prefix + ".localhost", ehloName.orElseGet(LocalHostName::get));
            return props;
        }
    }

    /** Sessions not lent out, by shape; as many as connections were ever opened at once per shape. */
    private final Map<Shape, Queue<Session>> idleSessions = new ConcurrentHashMap<>();

    private final TlsService tls;
    private final Clock clock;
    private final DeadlineWatch deadlines;

    Connector(TlsService tls, Clock clock, DeadlineWatch deadlines) {
        this.tls = tls;
        this.clock = clock;
        this.deadlines = deadlines;
    }

    /**
     * @param settings the route
     * @param key where to connect: {@link PoolKey#address()} is connected to, {@link
     *     PoolKey#host()} is the name the certificate must carry
     * @param strategy the port's strategy
     * @return the open, greeted, TLS-protected as required and authenticated session
     * @throws ConnectFailure saying how the attempt ended
     */
    SmtpConnection open(RouteSettings settings, PoolKey key, PortStrategy strategy) throws ConnectFailure {
        return open(settings, key, strategy, TlsDemand.ofRoute(settings));
    }

    /**
     * @param demand what TLS the connection must have beyond the strategy's: required TLS makes an
     *     opportunistic port require STARTTLS; the verification and check are applied to the certificate
     */
    SmtpConnection open(RouteSettings settings, PoolKey key, PortStrategy strategy, TlsDemand demand)
            throws ConnectFailure {
        TlsMode mode = strategy.tlsMode();
        if (demand.required() && mode == TlsMode.STARTTLS_OPPORTUNISTIC) {
            mode = TlsMode.STARTTLS_REQUIRED;
        } else if (demand.required() && mode == TlsMode.NONE) {
            throw new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, "the strategy of port " + key.port()
                    + " has no TLS, which the TLS policy requires", Optional.empty());
        }
        boolean implicit = mode == TlsMode.IMPLICIT;
        Shape shape = new Shape(implicit, mode, settings.route().connectTimeout().toMillis(),
                settings.route().readTimeout().toMillis(), settings.ehloName());
        String prefix = shape.prefix();
        LayeringSocketFactory sockets = new LayeringSocketFactory(tls, key.host(), demand.verification(), false);
        PlainSocketFactory plain = new PlainSocketFactory();
        TlsLayer layer = new TlsLayer(sockets, demand.check());
        Deadline deadline = new Deadline(() -> layer.plain().or(plain::socket), deadlines);

        Queue<Session> idle = idleSessions.computeIfAbsent(shape, s -> new ConcurrentLinkedQueue<>());
        Session session = Optional.ofNullable(idle.poll()).orElseGet(() -> Session.getInstance(shape.properties()));
        Properties props = session.getProperties();
        props.put(prefix + ".ssl.socketFactory", layer);
        props.put(prefix + ".socketFactory", plain);

        AngusConnection smtp = new MailslotSmtpTransport(session, implicit, mode == TlsMode.STARTTLS_REQUIRED, plain,
                sockets, deadline, settings.route().readTimeout(), settings.dataTimeout());

        boolean sendCredentials = settings.credentials().isPresent() && strategy.authPolicy() != AuthPolicy.NONE;
        String user = sendCredentials ? settings.credentials().get().username() : null;
        String password = sendCredentials ? settings.credentials().get().password() : null;
        // One deadline from the TCP connection to the greeting, however slowly the greeting trickles in.
        deadline.arm(Deadline.Step.GREETING, settings.route().connectTimeout());
        try {
            smtp.connect(key.address(), key.port(), user, password);
        } catch (MessagingException e) {
            deadline.release();
            Optional<String> expired = deadline.expired();
            if (expired.isPresent()) {
                throw new ConnectFailure(Attempt.Result.TIMED_OUT, "timed out: " + expired.get(), Optional.empty());
            }
            throw classify(e, key, smtp, sockets, demand).from(localAddress(layer, plain));
        } catch (IllegalStateException e) {
            deadline.release();
            throw new ConnectFailure(Attempt.Result.FAILED, e.getMessage(), Optional.empty());
        } finally {
            // Connected or not, Angus has read the factories: the session can serve the next attempt.
            props.remove(prefix + ".ssl.socketFactory");
            props.remove(prefix + ".socketFactory");
            idle.add(session);
        }

        boolean tlsActive = smtp.isSSL();
        Optional<SSLSocket> tlsSocket = tlsActive ? sockets.lastSocket() : Optional.empty();
        Optional<CertificateException> audit = tlsSocket.filter(s -> demand.audited()).flatMap(s -> audit(s, key.host()));
        Optional<TlsSession> session0 = demand.audited()
                ? tlsSocket.map(s -> TlsSession.of(s.getSession(), audit.map(ErrorText::of)))
                : tlsSocket.map(s -> describe(s, demand));
        deadline.disarm();
        if (mode.requiresTls() && !tlsActive) {
            closeQuietly(smtp, deadline, settings);
            throw new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, "no TLS on a port that requires it", Optional.empty())
                    .from(localAddress(layer, plain));
        }
        if (sendCredentials && !tlsActive && strategy.authPolicy() == AuthPolicy.REQUIRED) {
            // Opportunistic port whose role needs AUTH, and no STARTTLS: the credentials
            // cannot be sent, so the port is of no use to this route.
            closeQuietly(smtp, deadline, settings);
            throw new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED,
                    "the server does not offer STARTTLS, and AUTH (required on this port) is never sent in clear",
                    Optional.empty());
        }
        boolean authenticated = sendCredentials && tlsActive && smtp.supportsExtension("AUTH");
        return new SmtpConnection(key, session, smtp, strategy, session0, authenticated, clock.instant(), deadline,
                settings.route().readTimeout(), localAddress(layer, plain),
                audit.map(TlsSessionReports::ofCertificate));
    }

    /** @return why the server's certificate would not verify as {@link PeerVerification#FULL} does, if it would not */
    private Optional<CertificateException> audit(SSLSocket socket, String host) {
        try {
            tls.verifyServer((X509Certificate[]) socket.getSession().getPeerCertificates(), host);
            return Optional.empty();
        } catch (CertificateException e) {
            return Optional.of(e);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of(new CertificateException("the server sent no certificate", e));
        }
    }

    /** @return the address our side of the connection has, empty before one was made */
    private static String localAddress(TlsLayer layer, PlainSocketFactory plain) {
        return layer.localAddress().or(() -> plain.socket().map(Socket::getLocalAddress))
                .filter(address -> !address.isAnyLocalAddress()).map(InetAddress::getHostAddress).orElse("");
    }

    private static ConnectFailure classify(MessagingException e, PoolKey key, AngusConnection smtp,
            LayeringSocketFactory sockets, TlsDemand demand) {
        Optional<TlsSession> tlsSession = Optional.empty();
        if (e instanceof AuthenticationFailedException) {
            Reply reply = Reply.parse(smtp.getLastReturnCode(), smtp.getLastServerResponse());
            String detail = reply.code() >= 400 ? "authentication failed: " + reply
                    : "authentication failed: " + nonNull(e.getMessage());
            tlsSession = sockets.lastSocket().map(s -> describe(s, demand));
            return new ConnectFailure(Attempt.Result.AUTH_FAILED, detail, tlsSession, reply);
        }
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof TlsFloor.TlsNotOfferedException) {
                return new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, t.getMessage(), tlsSession);
            }
        }
        if (nonNull(e.getMessage()).contains("STARTTLS is required")) {
            return new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, "the server does not offer STARTTLS, which the"
                    + " port's strategy requires", tlsSession);
        }
        seen.clear();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new ConnectFailure(Attempt.Result.TIMED_OUT, "timed out: " + ErrorText.of(e), tlsSession);
            }
        }
        seen.clear();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SSLException) {
                if (certificateRejected(e)) {
                    return new ConnectFailure(Attempt.Result.TLS_FAILED, "TLS with " + key.host() + ":" + key.port()
                            + " failed (" + (demand.check().isPresent() ? "the TLS policy's"
                                    : sockets.verification().configName()) + " verification): " + ErrorText.of(e),
                            tlsSession, null, e);
                }
                // Not the certificate: a server that does not speak TLS here (a plaintext greeting
                // on an implicit-TLS port) or none of the TLS we accept (no common protocol or
                // cipher suite). The port lacks the TLS its strategy requires, as when STARTTLS is
                // not offered; the next port is tried under its own strategy, never this one in clear.
                return new ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, "no TLS handshake with " + key.host() + ":"
                        + key.port() + " (the server does not speak the TLS this port's strategy requires): "
                        + ErrorText.of(e), tlsSession, null, t);
            }
        }
        seen.clear();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new ConnectFailure(Attempt.Result.REFUSED, "connection refused: " + ErrorText.of(e), tlsSession);
            }
        }
        return new ConnectFailure(Attempt.Result.FAILED, ErrorText.of(e), tlsSession);
    }

    /**
     * @return true if our side refused the server's certificate: its chain did not verify, or it
     *     does not name the host (the JDK's trust managers throw a {@link CertificateException},
     *     path building and validation failures included)
     */
    static boolean certificateRejected(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static void closeQuietly(AngusConnection smtp, Deadline deadline, RouteSettings settings) {
        deadline.arm(Deadline.Step.REPLY, settings.route().readTimeout());
        try {
            smtp.close();
        } catch (MessagingException | RuntimeException e) {
            // Going away anyway.
        } finally {
            deadline.release();
        }
    }

    /** @return the TLS negotiated on the socket, as the API reports it */
    static TlsSession describe(SSLSocket socket, TlsDemand demand) {
        if (demand.check().isPresent()) {
            // Checked after the handshake, before the session was handed out.
            return TlsSession.of(socket.getSession(), Optional.empty());
        }
        return describe(socket, demand.verification());
    }

    static TlsSession describe(SSLSocket socket, PeerVerification verification) {
        Optional<String> unverified = switch (verification) {
            case FULL -> Optional.empty();
            case CHAIN -> Optional.of("chain verified, host name not checked (tls.verify=false)");
            case NONE -> Optional.of("certificate not checked (opportunistic TLS)");
        };
        return TlsSession.of(socket.getSession(), unverified);
    }

    /** How a connection attempt failed, for the {@link Attempt} record and the fallback decision. */
    static final class ConnectFailure extends Exception {

        private static final long serialVersionUID = 1L;
        private final Attempt.Result result;
        private final transient Optional<TlsSession> tls;
        private final transient Optional<Reply> reply;
        private final String localAddress;

        ConnectFailure(Attempt.Result result, String detail, Optional<TlsSession> tls) {
            this(result, detail, tls, null);
        }

        ConnectFailure(Attempt.Result result, String detail, Optional<TlsSession> tls, Reply reply) {
            this(result, detail, tls, reply, null);
        }

        /**
         * @param cause what refused the server's certificate, or what ended a TLS handshake that failed for
         *     another reason, for TLS reports; null if none
         */
        ConnectFailure(Attempt.Result result, String detail, Optional<TlsSession> tls, Reply reply, Throwable cause) {
            this(result, detail, tls, Optional.ofNullable(reply), cause, "");
        }

        private ConnectFailure(Attempt.Result result, String detail, Optional<TlsSession> tls, Optional<Reply> reply,
                Throwable cause, String localAddress) {
            super(detail, cause, false, false);
            this.result = result;
            this.tls = tls;
            this.reply = reply;
            this.localAddress = localAddress;
        }

        /** @return the same failure, of a connection from {@code address} (ours) */
        ConnectFailure from(String address) {
            return new ConnectFailure(result, getMessage(), tls, reply, getCause(), address);
        }

        /** @return our address on the connection that failed, empty if none was made */
        String localAddress() {
            return localAddress;
        }

        Attempt.Result result() {
            return result;
        }

        /** @return whether a TLS handshake began and failed for another reason than the certificate */
        boolean handshakeFailed() {
            return result == Attempt.Result.TLS_NOT_OFFERED && getCause() != null;
        }

        Optional<TlsSession> tls() {
            return tls;
        }

        Optional<Reply> reply() {
            return reply;
        }
    }
}
