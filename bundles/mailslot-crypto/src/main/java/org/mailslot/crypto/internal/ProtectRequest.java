package org.mailslot.crypto.internal;

import java.util.Locale;

/**
 * A per-message request in the {@value #HEADER} header ({@code encrypt}, {@code sign} or both,
 * comma-separated), as {@code mailslot:send --encrypt --sign} writes it. It can only raise the
 * policy for the message, never lower it, and it is removed before the message leaves.
 *
 * @param encrypt encryption was requested (as if the policy said {@code required})
 * @param sign signing was requested (as if the policy said {@code always})
 */
record ProtectRequest(boolean encrypt, boolean sign) {

    /** The header that carries the request. */
    static final String HEADER = "Mailslot-Protect";

    static final ProtectRequest NONE = new ProtectRequest(false, false);

    /**
     * @param value the header's unfolded value
     * @return the request; unknown words are ignored, so a request never fails a message
     */
    static ProtectRequest parse(String value) {
        boolean encrypt = false;
        boolean sign = false;
        for (String word : value.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            encrypt |= word.equals("encrypt");
            sign |= word.equals("sign");
        }
        return new ProtectRequest(encrypt, sign);
    }

    /** @return the header value for this request */
    String headerValue() {
        return encrypt && sign ? "encrypt, sign" : encrypt ? "encrypt" : sign ? "sign" : "";
    }

    boolean isEmpty() {
        return !encrypt && !sign;
    }
}
