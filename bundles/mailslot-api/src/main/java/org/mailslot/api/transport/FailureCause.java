package org.mailslot.api.transport;

/**
 * Why a recipient was not delivered in one attempt, as the transport saw it: the spool decides
 * on it (a destination none of whose servers could be used is suspended) instead of matching
 * reply codes and texts. The outcome's text carries the detail.
 */
public enum FailureCause {
    /**
     * No host or port of the destination could be used: every connection was refused, not
     * answered in time, or lacked the TLS its port strategy requires (the per-port reasons are in
     * the detail and in the result's {@link Attempt}s). Nobody took part in a conversation, so the
     * destination's other mail need not try either.
     */
    NO_USABLE_SERVER,
    /** A server did not answer in time during the conversation (the connection's deadline). */
    TIMED_OUT,
    /** The connection broke during the transaction, or the server gave no reply where one was due. */
    CONNECTION_LOST,
    /** The server's certificate failed verification: the route fails and nothing goes in clear. */
    TLS_FAILED,
    /** The server refused the route's credentials. */
    AUTH_FAILED,
    /** The server replied with a temporary failure (4xx). */
    REPLIED_4XX,
    /** The server replied with a permanent failure (5xx). */
    REPLIED_5XX,
    /** The destination's mail hosts could not be looked up now (a DNS server failed or timed out). */
    DNS_TEMPORARY,
    /** The destination's domain does not exist or accepts no mail (no MX, or a null MX). */
    DNS_PERMANENT,
    /** The next hop cannot take this message at all (it needs SMTPUTF8 or 8BITMIME the server lacks). */
    NOT_SUPPORTED,
    /** The route is not active in the transport (starting, or its configuration is invalid). */
    ROUTE_UNAVAILABLE,
    /**
     * The destination's TLS policy (DANE, MTA-STS, or a configured level above {@code may}) could
     * not be met: no STARTTLS where TLS is required, a certificate that matches no usable TLSA record
     * or fails verification, TLSA records that could not be validated (DNSSEC bogus or no answer).
     * Nothing was sent in clear, and nothing was sent to an unauthenticated server; the
     * {@link RecipientOutcome#tlsPolicy() policy} says which and why.
     */
    TLS_POLICY;

    /**
     * The cause a reply code alone says, for transports that give no other.
     *
     * @return {@link #REPLIED_4XX} or {@link #REPLIED_5XX} for such codes; for reply code 0 (no
     *     server replied), {@link #CONNECTION_LOST} for a temporary failure and
     *     {@link #NOT_SUPPORTED} for a permanent one
     */
    public static FailureCause ofReply(int replyCode, DeliveryStatus status) {
        if (replyCode >= 500 && replyCode < 600) {
            return REPLIED_5XX;
        }
        if (replyCode >= 400 && replyCode < 500) {
            return REPLIED_4XX;
        }
        return status == DeliveryStatus.PERMANENT_FAILURE ? NOT_SUPPORTED : CONNECTION_LOST;
    }
}
