package org.mailslot.api.dkim;

import java.io.IOException;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies a message's ARC chain (RFC 8617): its structure, every ARC-Seal and the newest
 * ARC-Message-Signature, with keys looked up as DKIM keys are (the resolver of MX delivery, cached).
 *
 * <p><b>Threading.</b> Thread-safe; blocks on key lookups. <b>Failure.</b> A broken chain or a key
 * that cannot be had is {@link ArcResult#FAIL} with a reason, never an exception.
 *
 * @since 1.1
 */
@ProviderType
public interface ArcVerifier {

    /**
     * @param message the message octets (CRLF line ends)
     * @return the verdict, {@link ArcResult#NONE} for a message without ARC sets
     * @throws IOException if the message cannot be read
     */
    ArcVerification verify(MessageSource message) throws IOException;
}
