package org.mailslot.smtp.internal;

import java.util.Locale;

import org.mailslot.api.port.PortRole;

/**
 * Whether a listener checks who sent the mail of clients that did not log in ({@code sender.checks}):
 * a listener that must check takes no such mail while no checker is registered.
 */
enum SenderChecking {
    /** Checked at the end of DATA; refused with 451 while mailslot-auth's checker is missing. */
    REQUIRED("required"),
    /** Never checked. */
    OFF("off"),
    /** Unset: {@link #REQUIRED} where the strategy's role is relay (port 25), {@link #OFF} on submission ports. */
    BY_ROLE("");

    private final String configName;

    SenderChecking(String configName) {
        this.configName = configName;
    }

    static SenderChecking fromConfigName(String where, String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (SenderChecking checking : values()) {
            if (checking.configName.equals(wanted)) {
                return checking;
            }
        }
        throw new IllegalArgumentException(where + "sender.checks must be required or off (or unset: required on relay"
                + " listeners), not \"" + name + "\"");
    }

    /** @return whether mail from clients that did not log in must be checked on a listener of this role */
    boolean required(PortRole role) {
        return this == REQUIRED || this == BY_ROLE && role == PortRole.RELAY;
    }

    @Override
    public String toString() {
        return configName.isEmpty() ? "by role" : configName;
    }
}
