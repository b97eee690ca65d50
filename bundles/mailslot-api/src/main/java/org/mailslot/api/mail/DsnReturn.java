package org.mailslot.api.mail;

import org.osgi.annotation.versioning.ProviderType;

/** What a DSN should carry of the original message: {@code MAIL FROM:<...> RET=...} (RFC 3461). */
@ProviderType
public enum DsnReturn {
    /** The whole message. */
    FULL,
    /** The headers only. */
    HDRS
}
