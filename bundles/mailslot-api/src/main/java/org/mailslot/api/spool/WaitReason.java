package org.mailslot.api.spool;

/**
 * What a queued message waits for, as a value the spool and the shell decide on; the
 * {@link Waiting#detail() detail} says it in words.
 */
public enum WaitReason {
    /** A stage the outbound pipeline requires ({@code required.stages}) is not there. */
    MISSING_PIPELINE_STAGE,
    /** A key, certificate or crypto bundle the crypto policy needs for a recipient is missing. */
    CRYPTO_KEY_OR_BUNDLE_MISSING,
    /** A pipeline stage deferred the message for another reason (it failed, or its configuration is invalid). */
    DEFERRED_BY_PROCESSOR,
    /** No server of its destination could be used lately: the destination's mail waits out the suspension. */
    DESTINATION_SUSPENDED,
    /** No MailTransport service is there (mailslot-transport is not started). */
    NO_TRANSPORT,
    /** The transport has no route for a recipient. */
    NO_ROUTE,
    /** The next hop, or the way to it, failed temporarily: a 4xx reply, a timeout, a lost connection. */
    DEFERRED_BY_NEXT_HOP,
    /**
     * The destination's TLS policy (DANE, MTA-STS, or a configured level above {@code may}) could
     * not be met; the message waits rather than go in clear or to an unauthenticated server.
     */
    TLS_POLICY,
    /** Delivery into a local Maildir failed for a reason that may pass (an I/O error). */
    LOCAL_DELIVERY_FAILED,
    /** The notice to the sender (a DSN) could not be queued; the recipient is kept until it can. */
    NOTICE_NOT_QUEUED,
    /** An operator holds the message ({@code mailslot:queue-hold}). */
    HELD_BY_OPERATOR,
    /** The attempt failed unexpectedly inside the spool or the transport. */
    INTERNAL_ERROR,
    /** A store that keeps no reason said only the text. */
    UNSPECIFIED
}
