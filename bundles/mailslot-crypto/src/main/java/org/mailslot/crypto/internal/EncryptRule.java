package org.mailslot.crypto.internal;

import java.util.Locale;

/** Whether messages to a recipient are encrypted. */
enum EncryptRule {
    /** Never encrypted by policy (a {@code Mailslot-Protect: encrypt} request still raises it). */
    NEVER,
    /** Encrypted when a key and its bundle are available now, else sent as it is. */
    IF_POSSIBLE,
    /** Encrypted, or held in the spool until it can be. */
    REQUIRED;

    String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static EncryptRule fromConfig(String value) {
        for (EncryptRule rule : values()) {
            if (rule.configName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return rule;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not an encryption rule (never, if-possible, required)");
    }
}
