package org.mailslot.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/** What a receiver does with a message after its sender checks (the DMARC disposition, when enforced). */
@ProviderType
public enum AuthVerdict {

    /** Accept it as usual. */
    ACCEPT,
    /** Accept it marked for filing as junk: the sender's domain asks for quarantine ({@code X-Mailslot-Quarantine}). */
    QUARANTINE,
    /** Refuse it: it fails DMARC and the sender's domain publishes {@code p=reject} (SMTP 550 5.7.1). */
    REJECT,
    /** Ask the sender to try again later: a DNS lookup that could decide the verdict got no answer (SMTP 451). */
    DEFER
}
