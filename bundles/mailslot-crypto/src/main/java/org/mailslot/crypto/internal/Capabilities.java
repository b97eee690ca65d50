package org.mailslot.crypto.internal;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.mail.MailAddress;

/**
 * What each technology can do for one message, asked once per technology: whether its bundle is
 * there, which recipients it has no key for, whether it can sign as the sender.
 */
final class Capabilities {

    private record Answer(boolean present, Set<MailAddress> missingKeys, boolean canSign) {
    }

    private final Map<CryptoTechnology, Answer> answers = new EnumMap<>(CryptoTechnology.class);
    private final Signer signer;

    private Capabilities(Signer signer) {
        this.signer = signer;
    }

    /**
     * @param services the services now
     * @param encryptTo the recipients that may be encrypted to
     * @param signer whom to sign as, if anyone; null when nothing is to be signed
     */
    static Capabilities ask(CryptoServices services, Collection<MailAddress> encryptTo, Signer signer) {
        Capabilities capabilities = new Capabilities(signer == null ? new Signer(Optional.empty(), "not asked") : signer);
        Optional<MailAddress> signAs = signer == null ? Optional.empty() : signer.address();
        for (CryptoTechnology technology : CryptoTechnology.values()) {
            Optional<MessageCrypto> service = services.get(technology);
            capabilities.answers.put(technology, service.map(crypto -> new Answer(true,
                    encryptTo.isEmpty() ? Set.of() : Set.copyOf(crypto.missingEncryptionKeys(encryptTo)),
                    signAs.map(crypto::canSign).orElse(false)))
                    .orElse(new Answer(false, Set.of(), false)));
        }
        return capabilities;
    }

    boolean present(CryptoTechnology technology) {
        return answers.get(technology).present();
    }

    boolean canEncryptTo(CryptoTechnology technology, MailAddress recipient) {
        Answer answer = answers.get(technology);
        return answer.present() && !answer.missingKeys().contains(recipient);
    }

    boolean canSign(CryptoTechnology technology) {
        return answers.get(technology).canSign();
    }

    Signer signer() {
        return signer;
    }
}
