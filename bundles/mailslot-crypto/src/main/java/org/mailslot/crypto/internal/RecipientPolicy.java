package org.mailslot.crypto.internal;

import java.util.Objects;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.ProtectRequest;

/**
 * What the policy asks for one recipient.
 *
 * @param encrypt whether to encrypt
 * @param sign whether to sign
 * @param preferred the technology tried first; the other is tried when the preferred one cannot
 */
record RecipientPolicy(EncryptRule encrypt, SignRule sign, CryptoTechnology preferred) {

    RecipientPolicy {
        Objects.requireNonNull(encrypt, "encrypt");
        Objects.requireNonNull(sign, "sign");
        Objects.requireNonNull(preferred, "preferred");
    }

    /** @return this policy raised by a per-message request, never lowered */
    RecipientPolicy raisedBy(ProtectRequest request) {
        return new RecipientPolicy(request.encrypt() ? EncryptRule.REQUIRED : encrypt,
                request.sign() ? SignRule.ALWAYS : sign, preferred);
    }

    /** @return true if nothing is to be applied */
    boolean isClear() {
        return encrypt == EncryptRule.NEVER && sign == SignRule.NEVER;
    }
}
