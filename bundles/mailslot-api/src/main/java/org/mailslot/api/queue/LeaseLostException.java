package org.mailslot.api.queue;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The lease on a message ended before its holder finished with it: it expired, or the store lost
 * its holder's connection. The store may already have given the message to another consumer, so
 * nothing of the attempt was recorded; the mail that was delivered in it may be delivered again
 * (at least once, never lost).
 */
@ProviderType
public class LeaseLostException extends IOException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
