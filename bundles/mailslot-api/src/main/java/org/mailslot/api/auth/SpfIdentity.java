package org.mailslot.api.auth;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** Which identity an SPF check is about (RFC 7208 section 2.3, 2.4). */
@ProviderType
public enum SpfIdentity {

    /** The reverse path ({@code MAIL FROM}); for a null reverse path, {@code postmaster@} the HELO name. */
    MAILFROM,
    /** The name the client gave in HELO or EHLO. */
    HELO;

    /** @return the RFC 8601 property name: {@code smtp.mailfrom} or {@code smtp.helo} */
    public String property() {
        return "smtp." + name().toLowerCase(Locale.ROOT);
    }
}
