package org.mailslot.shell.internal;

import java.time.Duration;

import org.mailslot.support.config.DurationProperty;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * How long a message may wait in the spool before {@code mailslot:status} fails: {@value #PROPERTY} of
 * {@value ShellPid#PID}, or the command's {@code --max-wait}.
 */
final class MaxWait {

    static final String PROPERTY = "status.max.wait";
    static final String DEFAULT = "1h";

    private MaxWait() {
    }

    /**
     * @param option the command's --max-wait, or null to use the configuration
     * @throws IllegalArgumentException naming the option or the property, if the value is not a positive duration
     */
    static Duration of(String option, ConfigurationAdmin admin) {
        if (option != null) {
            return DurationProperty.positive("--max-wait", option);
        }
        return configured(ShellPid.property(admin, PROPERTY));
    }

    /** @param value the configured value, or null for the default */
    static Duration configured(Object value) {
        if (value == null || value.toString().isBlank()) {
            return DurationProperty.positive(PROPERTY, DEFAULT);
        }
        return DurationProperty.positive(ShellPid.PID + " " + PROPERTY, value);
    }
}
