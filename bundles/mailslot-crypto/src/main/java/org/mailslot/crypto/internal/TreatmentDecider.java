package org.mailslot.crypto.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;

/**
 * The decision table: from what the policy asks for a recipient and what the technologies can do
 * now, the treatment. The preferred technology is tried first, then the other one; a requirement
 * that neither can meet holds the recipient with a reason that names what is missing.
 *
 * <pre>
 * encrypt      sign    result
 * never        never   clear
 * never        always  SIGN, else hold
 * if-possible  never   ENCRYPT, else clear
 * if-possible  always  SIGN_AND_ENCRYPT, else SIGN, else hold
 * required     never   ENCRYPT, else hold
 * required     always  SIGN_AND_ENCRYPT, else hold
 * </pre>
 */
final class TreatmentDecider {

    private TreatmentDecider() {
    }

    static Treatment decide(MailAddress recipient, RecipientPolicy policy, Capabilities can) {
        boolean wantsEncryption = policy.encrypt() != EncryptRule.NEVER;
        boolean needsEncryption = policy.encrypt() == EncryptRule.REQUIRED;
        boolean needsSignature = policy.sign() == SignRule.ALWAYS;
        List<CryptoTechnology> order = order(policy.preferred());

        if (wantsEncryption && needsSignature) {
            Optional<CryptoTechnology> both = order.stream()
                    .filter(t -> can.canEncryptTo(t, recipient) && can.canSign(t)).findFirst();
            if (both.isPresent()) {
                return new Treatment.Protect(both.get(), Protection.SIGN_AND_ENCRYPT);
            }
            if (needsEncryption) {
                return hold("signing and encryption", recipient, order, can, true, true);
            }
        }
        if (wantsEncryption && !needsSignature) {
            Optional<CryptoTechnology> encrypting = order.stream().filter(t -> can.canEncryptTo(t, recipient)).findFirst();
            if (encrypting.isPresent()) {
                return new Treatment.Protect(encrypting.get(), Protection.ENCRYPT);
            }
            return needsEncryption ? hold("encryption", recipient, order, can, true, false) : Treatment.CLEAR;
        }
        if (needsSignature) {
            Optional<CryptoTechnology> signing = order.stream().filter(can::canSign).findFirst();
            return signing.<Treatment>map(t -> new Treatment.Protect(t, Protection.SIGN))
                    .orElseGet(() -> hold("signing", recipient, order, can, false, true));
        }
        return Treatment.CLEAR;
    }

    private static List<CryptoTechnology> order(CryptoTechnology preferred) {
        List<CryptoTechnology> order = new ArrayList<>(List.of(preferred));
        for (CryptoTechnology technology : CryptoTechnology.values()) {
            if (technology != preferred) {
                order.add(technology);
            }
        }
        return order;
    }

    /**
     * The reason names the preferred technology's problem, then those of the others that are
     * present (an absent technology the operator did not prefer is no news).
     */
    private static Treatment hold(String what, MailAddress recipient, List<CryptoTechnology> order, Capabilities can,
            boolean encryption, boolean signature) {
        if (signature && can.signer().address().isEmpty()) {
            // No key can help: the message is not signed as anyone, and never sent unsigned instead.
            return new Treatment.Refuse(what + " required for " + recipient + ": not signed as anyone, because "
                    + can.signer().refusal());
        }
        List<String> problems = new ArrayList<>();
        for (CryptoTechnology technology : order) {
            if (!can.present(technology)) {
                if (technology == order.get(0)) {
                    problems.add(CryptoServices.bundleOf(technology) + " not available");
                }
                continue;
            }
            List<String> missing = new ArrayList<>();
            if (encryption && !can.canEncryptTo(technology, recipient)) {
                missing.add("no " + technology.configName() + " key");
            }
            if (signature && !can.canSign(technology)) {
                missing.add("no " + technology.configName() + " signing key for " + can.signer().address().orElseThrow());
            }
            if (!missing.isEmpty()) {
                problems.add(String.join(" and ", missing));
            }
        }
        return new Treatment.Hold(what + " required for " + recipient + ": " + String.join("; ", problems));
    }
}
