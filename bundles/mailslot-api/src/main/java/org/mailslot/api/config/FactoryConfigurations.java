package org.mailslot.api.config;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's name for one instance of a factory configuration, however it was created:
 * {@code etc/org.mailslot.relay-lab.cfg} (Felix File Install's form, which Karaf reads),
 * {@code config:edit --factory --alias lab}, or a named factory configuration whose PID is
 * {@code org.mailslot.relay~lab} (Config Admin 1.6). All three name the instance {@code lab}.
 *
 * <p>Stateless and thread-safe.
 */
@ProviderType
public final class FactoryConfigurations {

    /** Where File Install records the file a configuration came from. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private FactoryConfigurations() {
    }

    /**
     * @param properties a component's configuration properties
     * @return the instance name, or the PID when the configuration has no name of its own
     */
    public static String instanceName(Map<String, ?> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        Object factoryPid = properties.get("service.factoryPid");
        Object file = properties.get(FILEINSTALL_FILENAME);
        if (factoryPid != null && file != null) {
            String name = file.toString();
            name = name.substring(name.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            name = dot > 0 ? name.substring(0, dot) : name;
            String prefix = factoryPid + "-";
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return name.substring(prefix.length());
            }
        }
        Object alias = properties.get("alias");
        return alias != null ? alias.toString() : pid;
    }
}
