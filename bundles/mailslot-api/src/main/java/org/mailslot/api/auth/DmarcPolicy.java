package org.mailslot.api.auth;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** What a domain asks receivers to do with mail that fails DMARC ({@code p=}, {@code sp=}; RFC 7489 section 6.3). */
@ProviderType
public enum DmarcPolicy {

    /** Nothing: the domain only wants reports. */
    NONE,
    /** Treat the mail as suspicious: deliver it where the recipient files junk. */
    QUARANTINE,
    /** Refuse the mail during the SMTP transaction. */
    REJECT;

    /** @return the tag value, e.g. {@code quarantine} */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
