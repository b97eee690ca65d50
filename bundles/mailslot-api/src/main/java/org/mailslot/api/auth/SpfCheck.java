package org.mailslot.api.auth;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of checking one identity with SPF. Immutable.
 *
 * @param identity which identity was checked
 * @param domain the domain whose record was evaluated (lower case), empty when the identity has
 *     no domain SPF can check (an address literal, a HELO name that is not a domain)
 * @param subject the identity as checked, e.g. {@code alice@example.org} or {@code mx.example.org}
 * @param result the result
 * @param reason one line for operators and header comments, never parsed: the mechanism that
 *     matched, the error, or the domain's explanation ({@code exp=}) of a fail
 */
@ProviderType
public record SpfCheck(SpfIdentity identity, String domain, String subject, SpfResult result, String reason) {

    public SpfCheck {
        Objects.requireNonNull(identity, "identity");
        domain = domain == null ? "" : domain;
        subject = subject == null ? "" : subject;
        Objects.requireNonNull(result, "result");
        reason = reason == null ? "" : reason;
    }

    /** @return whether the client is authorized for the identity */
    public boolean passed() {
        return result == SpfResult.PASS;
    }
}
