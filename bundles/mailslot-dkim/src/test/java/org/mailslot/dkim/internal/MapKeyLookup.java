package org.mailslot.dkim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Key records from a map, as a zone file would publish them; counts lookups. */
final class MapKeyLookup implements KeyLookup {

    final Map<String, String> records = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    static MapKeyLookup rfc8463() throws IOException {
        return fromResource("/rfc8463/keys.txt");
    }

    /** @param resource lines of "name record" */
    static MapKeyLookup fromResource(String resource) throws IOException {
        MapKeyLookup lookup = new MapKeyLookup();
        try (InputStream in = MapKeyLookup.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    int space = line.indexOf(' ');
                    lookup.records.put(line.substring(0, space), line.substring(space + 1).strip());
                }
            }
        }
        return lookup;
    }

    MapKeyLookup with(String name, String record) {
        records.put(name, record);
        return this;
    }

    @Override
    public KeyAnswer lookup(String name) {
        lookups.incrementAndGet();
        String record = records.get(name);
        return record == null ? KeyAnswer.missing("no key record at " + name) : KeyAnswer.found(List.of(record), 300);
    }
}
