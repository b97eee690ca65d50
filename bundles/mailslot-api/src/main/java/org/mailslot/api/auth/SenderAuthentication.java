package org.mailslot.api.auth;

import java.util.Objects;

import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimVerification;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every sender check of one received message: SPF of both identities, each DKIM signature, DMARC
 * over them, the verdict, and the header fields that report them. Immutable.
 *
 * @param authservId the authserv-id the results are reported under
 * @param mailFrom SPF of the MAIL FROM identity
 * @param helo SPF of the HELO identity
 * @param dkim every DKIM signature's result
 * @param arc the ARC chain's state (RFC 8617), reported; it does not change the DMARC verdict
 * @param dmarc the DMARC evaluation
 * @param verdict what to do with the message: the DMARC disposition when policies are enforced,
 *     {@link AuthVerdict#DEFER} for a temporary DMARC error, else {@link AuthVerdict#ACCEPT}
 * @param headerFields the fields to put on top of the message, each folded and ending in CRLF: the
 *     {@code Authentication-Results} field (RFC 8601), and {@code X-Mailslot-Quarantine} for
 *     {@link AuthVerdict#QUARANTINE}
 */
@ProviderType
public record SenderAuthentication(String authservId, SpfCheck mailFrom, SpfCheck helo, DkimVerification dkim,
        ArcVerification arc, DmarcCheck dmarc, AuthVerdict verdict, String headerFields) {

    /** The field that marks a message whose sender's domain asks for quarantine; its value names the domain. */
    public static final String QUARANTINE_FIELD = "X-Mailslot-Quarantine";

    public SenderAuthentication {
        Objects.requireNonNull(authservId, "authservId");
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(arc, "arc");
        Objects.requireNonNull(dmarc, "dmarc");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(headerFields, "headerFields");
    }
}
