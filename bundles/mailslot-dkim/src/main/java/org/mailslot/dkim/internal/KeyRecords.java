package org.mailslot.dkim.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Parsed key records by their text, shared by DKIM and ARC verification: decoding a key costs more than using it. Thread-safe. */
final class KeyRecords {

    private static final int MAX_PARSED = 1000;

    private final ConcurrentHashMap<String, KeyRecord> parsed = new ConcurrentHashMap<>();

    /**
     * @return the first record that is a valid key
     * @throws IllegalArgumentException with the first record's problem if none is
     */
    KeyRecord first(List<String> records) {
        IllegalArgumentException first = null;
        for (String record : records) {
            try {
                return parsed(record);
            } catch (IllegalArgumentException e) {
                first = first == null ? e : first;
            }
        }
        throw first != null ? first : new IllegalArgumentException("no key record");
    }

    private KeyRecord parsed(String record) {
        KeyRecord known = parsed.get(record);
        if (known != null) {
            return known;
        }
        KeyRecord key = KeyRecord.parse(record);
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear();
        }
        parsed.put(record, key);
        return key;
    }
}
