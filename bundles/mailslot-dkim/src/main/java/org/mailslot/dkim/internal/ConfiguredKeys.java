package org.mailslot.dkim.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The keys a component has bound, one {@link ConfiguredKey} service per {@code org.mailslot.dkim}
 * configuration, and which of them serve a domain: what signing, sealing and the key commands all
 * ask. Thread-safe; bound and unbound by DS while messages are signed.
 */
final class ConfiguredKeys {

    private final List<ConfiguredKey> keys = new CopyOnWriteArrayList<>();

    void add(ConfiguredKey key) {
        keys.add(key);
    }

    void remove(ConfiguredKey key) {
        keys.remove(key);
    }

    /** @return every key bound, in the order bound */
    List<ConfiguredKey> all() {
        return List.copyOf(keys);
    }

    /** @return the key of {@code selector._domainkey.domain}, the first bound if two configurations name it */
    Optional<ConfiguredKey> find(String domain, String selector) {
        return keys.stream().filter(k -> k.domain().equals(domain) && k.selector().equals(selector)).findFirst();
    }

    /** @return the keys of a domain, one per selector (the first bound), ordered by selector */
    List<ConfiguredKey> ofDomain(String domain) {
        Map<String, ConfiguredKey> bySelector = new LinkedHashMap<>();
        for (ConfiguredKey key : keys) {
            if (key.domain().equals(domain)) {
                bySelector.putIfAbsent(key.selector(), key);
            }
        }
        List<ConfiguredKey> result = new ArrayList<>(bySelector.values());
        result.sort(Comparator.comparing(ConfiguredKey::selector));
        return result;
    }
}
