package org.mailslot.api.dkim;

import java.io.IOException;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies every DKIM signature of a message (RFC 6376; rsa-sha256 and ed25519-sha256, RFC 8463),
 * fetching keys from DNS ({@code selector._domainkey.domain} TXT) through the resolver the MX
 * delivery uses, with a timeout and a cache.
 *
 * <p><b>Threading.</b> Thread-safe; a call blocks while keys are looked up (at most the DNS
 * timeout per signature).
 *
 * <p><b>Failure.</b> Problems with a signature or its key are results, never exceptions: a
 * malformed signature or key record is {@link DkimResult#PERMERROR}, a lookup that timed out or
 * got SERVFAIL is {@link DkimResult#TEMPERROR}. Verification never passes by default.
 */
@ProviderType
public interface DkimVerifier {

    /**
     * @param message the message octets (CRLF line ends)
     * @return one result per signature, none for an unsigned message
     * @throws IOException if the message cannot be read
     */
    DkimVerification verify(MessageSource message) throws IOException;
}
