package org.mailslot.api.tls;

import java.security.GeneralSecurityException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Thrown when TLS in the server role is asked for but no server identity has ever been loaded
 * successfully. The message says why, in one line naming the file and the problem, so it can be
 * shown as is to an operator or a client (for example in an SMTP {@code 454} reply).
 *
 * <p>Callers must fail closed: a listener that cannot get a server engine refuses TLS (and with
 * it, on ports that require TLS, the whole session); it never carries on in clear.
 */
@ProviderType
public class TlsUnavailableException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message why no server identity is available
     */
    public TlsUnavailableException(String message) {
        super(message);
    }
}
