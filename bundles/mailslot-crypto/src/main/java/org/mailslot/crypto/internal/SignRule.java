package org.mailslot.crypto.internal;

import java.util.Locale;

/** Whether messages to a recipient are signed with the sender's key. */
enum SignRule {
    /** Signed, or held in the spool until the sender's key is available. */
    ALWAYS,
    /** Not signed by policy. */
    NEVER;

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SignRule fromConfig(String value) {
        for (SignRule rule : values()) {
            if (rule.configName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return rule;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a signing rule (always, never)");
    }
}
