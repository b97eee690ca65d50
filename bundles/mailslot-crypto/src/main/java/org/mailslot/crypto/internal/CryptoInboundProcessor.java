package org.mailslot.crypto.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoStages;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens retrieved messages whose MIME root is protected: decrypts and verifies with the matching
 * technology and hands on the opened message with its verification result. A message that cannot
 * be opened is handed on as received, still protected, with the reason; nothing is dropped and
 * decrypted parts are never merged with unprotected ones (the technology opens the root only).
 * While the technology's bundle is absent the processor throws, so retrieval keeps the message and
 * tries again later.
 */
@Component(name = "org.mailslot.crypto.inbound", service = InboundProcessor.class,
        property = {InboundProcessor.NAME + "=" + CryptoStages.OPEN, "service.ranking:Integer=1000"})
public final class CryptoInboundProcessor implements InboundProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoInboundProcessor.class);

    private final CryptoServices services = new CryptoServices();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCrypto(MessageCrypto crypto, Map<String, Object> properties) {
        services.add(crypto, properties);
    }

    void unbindCrypto(MessageCrypto crypto, Map<String, Object> properties) {
        services.remove(crypto, properties);
    }

    CryptoServices services() {
        return services;
    }

    @Override
    public RetrievedMessage process(RetrievedMessage message) throws IOException {
        if (message.opened().isPresent() || message.openFailure().isPresent()) {
            return message;
        }
        Optional<RootProtection> protection = RootProtection.of(HeaderSection.read(message.content()));
        Optional<MessageCrypto> crypto;
        if (protection.isPresent()) {
            CryptoTechnology technology = protection.get().technology();
            crypto = services.get(technology);
            if (crypto.isEmpty()) {
                throw new IOException("the message is protected with " + technology.configName() + " and "
                        + CryptoServices.bundleOf(technology) + " is not available; it is opened when it is back");
            }
            if (!crypto.get().isProtected(message.content())) {
                return message.withOpenFailure("the " + technology.configName() + " protection of the message is"
                        + " malformed or not at its MIME root");
            }
        } else {
            crypto = recognizing(message);
            if (crypto.isEmpty()) {
                return message;
            }
        }
        CryptoTechnology technology = crypto.get().technology();
        try {
            RetrievedMessage opened = message.withOpened(crypto.get().open(message.content()));
            CryptoCounters.opened(technology, true);
            return opened;
        } catch (CryptoException e) {
            CryptoCounters.opened(technology, false);
            return message.withOpenFailure(e.reason().name().toLowerCase().replace('_', ' ') + ": " + e.getMessage());
        } catch (RuntimeException e) {
            CryptoCounters.opened(technology, false);
            LOG.warn("Opening message {} of account {} failed; it is handed on still protected", message.id(),
                    message.account(), e);
            return message.withOpenFailure("internal error: " + e);
        }
    }

    /** A form the header check does not know may still be one a technology recognises. */
    private Optional<MessageCrypto> recognizing(RetrievedMessage message) throws IOException {
        for (CryptoTechnology technology : CryptoTechnology.values()) {
            Optional<MessageCrypto> crypto = services.get(technology);
            if (crypto.isPresent() && crypto.get().isProtected(message.content())) {
                return crypto;
            }
        }
        return Optional.empty();
    }
}
