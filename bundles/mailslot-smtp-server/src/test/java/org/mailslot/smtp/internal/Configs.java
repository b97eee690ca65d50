package org.mailslot.smtp.internal;

import java.util.HashMap;
import java.util.Map;

import org.mailslot.testing.peers.ComponentConfig;

/** Component property types from alternating keys and values, as DS builds them. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return ComponentConfig.of(type, properties);
    }
}
