package org.mailslot.api.mail;

import org.osgi.annotation.versioning.ProviderType;

/** The conditions of {@code RCPT TO:<...> NOTIFY=...} under which a DSN is wanted (RFC 3461). */
@ProviderType
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
