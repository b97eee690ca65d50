package org.mailslot.api.auth;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** The result of an SPF check (RFC 7208 section 2.6), as RFC 8601 names it in {@code Authentication-Results}. */
@ProviderType
public enum SpfResult {

    /** The domain publishes no SPF record, or the identity is not a domain SPF can check. */
    NONE,
    /** The domain says nothing about the client ({@code ?}, or no mechanism matched). */
    NEUTRAL,
    /** The client is authorized to use the identity. */
    PASS,
    /** The client is not authorized ({@code -}). */
    FAIL,
    /** The client is probably not authorized ({@code ~}). */
    SOFTFAIL,
    /** A DNS lookup failed for now (timeout, SERVFAIL): try again later, never a pass. */
    TEMPERROR,
    /** The published records cannot be interpreted: a syntax error, too many lookups, a loop. */
    PERMERROR;

    /** @return the RFC 8601 keyword, e.g. {@code softfail} */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
