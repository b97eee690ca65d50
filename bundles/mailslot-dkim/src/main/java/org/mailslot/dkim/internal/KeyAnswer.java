package org.mailslot.dkim.internal;

import java.util.List;
import java.util.Objects;

/**
 * What DNS said about a key record name.
 *
 * @param kind found, missing (an answer without a record: permanent) or failed (no answer: temporary)
 * @param records the TXT records, each one's character-strings joined; empty unless found
 * @param detail one line for operators
 * @param ttlSeconds how long the answer may be kept
 */
record KeyAnswer(Kind kind, List<String> records, String detail, long ttlSeconds) {

    enum Kind { FOUND, MISSING, FAILED }

    KeyAnswer {
        Objects.requireNonNull(kind, "kind");
        records = List.copyOf(records);
        detail = detail == null ? "" : detail;
    }

    static KeyAnswer found(List<String> records, long ttlSeconds) {
        return new KeyAnswer(Kind.FOUND, records, "", ttlSeconds);
    }

    static KeyAnswer missing(String detail) {
        return new KeyAnswer(Kind.MISSING, List.of(), detail, 0);
    }

    static KeyAnswer failed(String detail) {
        return new KeyAnswer(Kind.FAILED, List.of(), detail, 0);
    }
}
