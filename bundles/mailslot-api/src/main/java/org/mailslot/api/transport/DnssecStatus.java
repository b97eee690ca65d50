package org.mailslot.api.transport;

/** What a validating resolver said of a DNS answer (RFC 4035), as DANE needs to know it. */
public enum DnssecStatus {
    /** Validated: the resolver set the AD bit. */
    SECURE,
    /** Answered without validation: unsigned, or under no trust anchor. */
    INSECURE,
    /** The resolver refused the answer: its signatures do not validate. Nothing depending on it is trusted. */
    BOGUS,
    /** No answer: a timeout or a server failure. */
    FAILED
}
