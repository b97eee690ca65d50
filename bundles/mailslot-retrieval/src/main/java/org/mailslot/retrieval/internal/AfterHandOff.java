package org.mailslot.retrieval.internal;

import java.util.Locale;

/** What is done on the server once a message is stored locally and recorded. */
enum AfterHandOff {
    LEAVE, SEEN, MOVE, DELETE;

    static AfterHandOff parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("after.handoff must be leave, seen, move or delete, not '" + value + "'");
        }
    }

    /** @return whether the folder must be opened read-write */
    boolean writes() {
        return this != LEAVE;
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
