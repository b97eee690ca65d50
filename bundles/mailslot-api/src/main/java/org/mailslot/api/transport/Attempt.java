package org.mailslot.api.transport;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One connection attempt of a delivery: which host and port, and how it ended. A delivery
 * records every attempt, so that an operator sees why a port was skipped.
 *
 * @param host the host name or address connected to
 * @param port the port
 * @param at when the attempt started
 * @param result how it ended
 * @param detail a one-line explanation: the reply, the exception's message
 * @param tls the TLS negotiated, if any
 */
@ProviderType
public record Attempt(String host, int port, Instant at, Result result, String detail, Optional<TlsSession> tls) {

    /** How an attempt ended. */
    @ProviderType
    public enum Result {
        /** The message was handed over; the recipients' outcomes tell the rest. */
        DELIVERED,
        /** Connection refused: try the next port. */
        REFUSED,
        /** No connection, greeting or reply in time: try the next port. */
        TIMED_OUT,
        /**
         * The server did not offer the TLS the port's strategy requires: no STARTTLS, or a TLS
         * handshake that failed for another reason than the certificate (a server that speaks
         * plaintext on an implicit-TLS port, no protocol or cipher suite in common). Try the next
         * port, under its own strategy; this one is never used in clear.
         */
        TLS_NOT_OFFERED,
        /**
         * The server's certificate failed verification (its chain, or, with host name checking,
         * its name): the route fails, no other port is tried and nothing goes in clear.
         */
        TLS_FAILED,
        /** The server refused our credentials: the route fails. */
        AUTH_FAILED,
        /** The server answered the transaction with a failure before DATA completed. */
        REJECTED,
        /** Any other I/O or protocol error. */
        FAILED
    }

    public Attempt {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(tls, "tls");
    }
}
