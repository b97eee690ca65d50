package org.mailslot.api.dkim;

import java.io.IOException;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies a message's DKIM signatures (as {@link DkimVerifier}) and its ARC chain (as
 * {@link ArcVerifier}) in one reading of it: the header section is parsed once, and the body is read
 * once for every body hash the signatures and the newest ARC-Message-Signature ask for (one per
 * distinct canonicalization and {@code l=}, so a DKIM signature and an ARC-Message-Signature of the
 * same canonicalization share one).
 *
 * <p><b>Threading.</b> Thread-safe; blocks on key lookups (at most the DNS timeout per key).
 *
 * <p><b>Failure.</b> As the two verifiers: problems with signatures, keys or the chain are results,
 * never exceptions.
 *
 * @since 1.3
 */
@ProviderType
public interface SignatureVerifier {

    /**
     * @param message the message octets (CRLF line ends)
     * @return the verdicts; {@link MessageSignatures#none()}'s for a message with neither
     * @throws IOException if the message cannot be read
     */
    MessageSignatures verify(MessageSource message) throws IOException;
}
