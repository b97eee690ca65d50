package org.mailslot.transport.internal.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.transport.TlsSession;

/**
 * One open SMTP session to a host and port, after EHLO, STARTTLS and AUTH: what the pool keeps
 * between messages. Used by one delivery at a time.
 */
final class SmtpConnection {

    private final PoolKey key;
    private final Session session;
    private final AngusConnection smtp;
    private final PortStrategy strategy;
    private final Optional<TlsSession> tls;
    private final boolean authenticated;
    private final Deadline deadline;
    private final Duration readTimeout;
    private final String localAddress;
    private final Optional<TlsResultType> audited;
    private volatile Instant idleSince;

    /**
     * @param localAddress our address on the connection
     * @param audited what an audit of the server's certificate found ({@link TlsDemand#audited()}), empty if
     *     it verified or none was made
     */
    SmtpConnection(PoolKey key, Session session, AngusConnection smtp, PortStrategy strategy, Optional<TlsSession> tls,
            boolean authenticated, Instant now, Deadline deadline, Duration readTimeout, String localAddress,
            Optional<TlsResultType> audited) {
        this.localAddress = localAddress;
        this.audited = audited;
        this.deadline = deadline;
        this.readTimeout = readTimeout;
        this.key = key;
        this.session = session;
        this.smtp = smtp;
        this.strategy = strategy;
        this.tls = tls;
        this.authenticated = authenticated;
        this.idleSince = now;
    }

    PoolKey key() {
        return key;
    }

    Session session() {
        return session;
    }

    AngusConnection smtp() {
        return smtp;
    }

    PortStrategy strategy() {
        return strategy;
    }

    Optional<TlsSession> tls() {
        return tls;
    }

    boolean authenticated() {
        return authenticated;
    }

    String localAddress() {
        return localAddress;
    }

    /** @return what the audit of the server's certificate found, for TLS reports */
    Optional<TlsResultType> audited() {
        return audited;
    }

    Instant idleSince() {
        return idleSince;
    }

    void idleSince(Instant now) {
        this.idleSince = now;
    }

    /** @return how long each reply may take */
    Duration readTimeout() {
        return readTimeout;
    }

    /** @return the deadline of the connection's current step */
    Deadline deadline() {
        return deadline;
    }

    /** Says QUIT (within the read timeout: a server that stopped reading must not hold it) and closes; never throws. */
    void close() {
        deadline.arm(Deadline.Step.REPLY, readTimeout);
        try {
            smtp.close();
        } catch (MessagingException | RuntimeException e) {
            // Closing a connection that went away is not worth a report.
        } finally {
            deadline.release();
        }
    }

    @Override
    public String toString() {
        return "SmtpConnection[" + key + (tls.isPresent() ? ", " + tls.get().protocol() : ", no TLS") + "]";
    }
}
