package org.mailslot.api.crypto;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A per-message request in the {@value #HEADER} header ({@code encrypt}, {@code sign} or both,
 * comma-separated), as {@code mailslot:send --encrypt --sign} writes it and the
 * {@value CryptoStages#POLICY} stage reads it. It can only raise the policy for the message,
 * never lower it, and the stage removes it before the message leaves.
 *
 * @param encrypt encryption was requested (as if the policy said {@code required})
 * @param sign signing was requested (as if the policy said {@code always})
 * @since 1.3
 */
@ProviderType
public record ProtectRequest(boolean encrypt, boolean sign) {

    /** The header that carries the request. */
    public static final String HEADER = "Mailslot-Protect";

    /** Nothing requested. */
    public static final ProtectRequest NONE = new ProtectRequest(false, false);

    /**
     * @param value the header's unfolded value
     * @return the request; unknown words are ignored, so a request never fails a message
     */
    public static ProtectRequest parse(String value) {
        boolean encrypt = false;
        boolean sign = false;
        for (String word : value.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            encrypt |= word.equals("encrypt");
            sign |= word.equals("sign");
        }
        return new ProtectRequest(encrypt, sign);
    }

    /** @return the header value for this request, empty for {@link #NONE} */
    public String headerValue() {
        return encrypt && sign ? "encrypt, sign" : encrypt ? "encrypt" : sign ? "sign" : "";
    }

    /** @return true if nothing was requested */
    public boolean isEmpty() {
        return !encrypt && !sign;
    }
}
