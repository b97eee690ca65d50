package org.mailslot.api.mail;

/** The conditions of {@code RCPT TO:<...> NOTIFY=...} under which a DSN is wanted (RFC 3461). */
public enum DsnNotify {
    /** Never send a DSN; exclusive of the others. */
    NEVER,
    /** Report successful delivery. */
    SUCCESS,
    /** Report failed delivery. */
    FAILURE,
    /** Report a delay. */
    DELAY
}
