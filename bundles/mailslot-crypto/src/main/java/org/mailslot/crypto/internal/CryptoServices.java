package org.mailslot.crypto.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.MessageCrypto;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageCrypto} services registered now, by their {@value MessageCrypto#TECHNOLOGY}
 * property; of several for one technology, the highest {@code service.ranking} is used.
 * Thread-safe: services come and go while messages are processed.
 */
final class CryptoServices {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoServices.class);

    private record Key(int ranking, long serviceId) {
        static final Comparator<Key> BEST_FIRST = Comparator.comparingInt(Key::ranking).reversed()
                .thenComparingLong(Key::serviceId);
    }

    private final Map<CryptoTechnology, ConcurrentSkipListMap<Key, MessageCrypto>> byTechnology =
            new ConcurrentHashMap<>();

    void add(MessageCrypto service, Map<String, ?> properties) {
        Optional<CryptoTechnology> technology = technologyOf(properties);
        if (technology.isEmpty()) {
            LOG.warn("Ignoring a MessageCrypto service without a valid {} property (pgp or smime): {}",
                    MessageCrypto.TECHNOLOGY, properties.get(MessageCrypto.TECHNOLOGY));
            return;
        }
        byTechnology.computeIfAbsent(technology.get(), t -> new ConcurrentSkipListMap<>(Key.BEST_FIRST))
                .put(key(properties), service);
    }

    void remove(MessageCrypto service, Map<String, ?> properties) {
        technologyOf(properties).map(byTechnology::get).ifPresent(services -> services.remove(key(properties)));
    }

    /** @return the service for the technology now, if one is registered */
    Optional<MessageCrypto> get(CryptoTechnology technology) {
        ConcurrentSkipListMap<Key, MessageCrypto> services = byTechnology.get(technology);
        if (services == null) {
            return Optional.empty();
        }
        Map.Entry<Key, MessageCrypto> best = services.firstEntry();
        return best == null ? Optional.empty() : Optional.of(best.getValue());
    }

    /** @return the bundle an operator starts to provide the technology, for messages */
    static String bundleOf(CryptoTechnology technology) {
        return technology == CryptoTechnology.PGP ? "mailslot-openpgp" : "mailslot-smime";
    }

    private static Optional<CryptoTechnology> technologyOf(Map<String, ?> properties) {
        Object value = properties.get(MessageCrypto.TECHNOLOGY);
        try {
            return value == null ? Optional.empty() : Optional.of(CryptoTechnology.fromConfig(value.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Key key(Map<String, ?> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new Key(ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L);
    }
}
