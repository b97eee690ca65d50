package org.mailslot.openpgp.internal;

import java.io.IOException;

/** Thrown inside decryption when plaintext outgrows its bound; mapped to LIMIT_EXCEEDED. */
final class LimitExceeded extends IOException {

    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
        super(message);
    }
}
