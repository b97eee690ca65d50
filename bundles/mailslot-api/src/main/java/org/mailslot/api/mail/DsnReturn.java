package org.mailslot.api.mail;

/** What a DSN should carry of the original message: {@code MAIL FROM:<...> RET=...} (RFC 3461). */
public enum DsnReturn {
    /** The whole message. */
    FULL,
    /** The headers only. */
    HDRS
}
