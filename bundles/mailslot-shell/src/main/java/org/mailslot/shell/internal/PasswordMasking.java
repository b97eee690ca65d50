package org.mailslot.shell.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Locale;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * Hides the passwords of Mailslot's configurations from whoever reads them without a target, as
 * {@code config:list} does: Config Admin hands every configuration through its plugins, and a
 * caller that displays configurations (the shell, JMX) names no service it delivers to, where
 * Declarative Services names its own. A value is replaced when its key ends in {@code password},
 * {@code passphrase} or {@code secret}, whatever its case.
 */
@Component(service = ConfigurationPlugin.class, property = ConfigurationPlugin.CM_RANKING + ":Integer=" + PasswordMasking.RANKING)
public final class PasswordMasking implements ConfigurationPlugin {

    /** Last of the plugins that may change a configuration, after any that fills in {@code $[secret:...]}. */
    static final int RANKING = 1000;
    static final String MASK = "********";

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (reference != null || !isMailslots(properties)) {
            return;
        }
        for (String key : Collections.list(properties.keys())) {
            if (isSecret(key)) {
                properties.put(key, MASK);
            }
        }
    }

    private static boolean isMailslots(Dictionary<String, Object> properties) {
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        Object pid = factoryPid != null ? factoryPid : properties.get(Constants.SERVICE_PID);
        return pid != null && pid.toString().startsWith("org.mailslot.");
    }

    static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return name.endsWith("password") || name.endsWith("passphrase") || name.endsWith("secret");
    }
}
