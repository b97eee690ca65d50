package org.mailslot.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The shell's own configuration, {@value #PID}, read when a command runs so that a change needs no restart. */
final class ShellPid {

    static final String PID = "org.mailslot.shell";

    private ShellPid() {
    }

    /** @return the property's configured value, or null when it is not set (or Config Admin is not there) */
    static Object property(ConfigurationAdmin admin, String name) {
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + PID + ")");
            Dictionary<String, Object> properties = found == null ? null : found[0].getProperties();
            return properties == null ? null : properties.get(name);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the configuration " + PID, e);
        }
    }
}
