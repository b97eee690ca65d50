package org.mailslot.support.cm;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Properties that moved from one PID to another. A component reads both PIDs (the old one first,
 * so that the new one wins) and tells the operator, for each property still in the old place, where
 * it belongs now: a configuration written before the move keeps working, and the log says how to
 * bring it up to date.
 *
 * @param oldPid where the properties were read from before
 * @param newPid where they belong now
 * @param moved which property names moved
 */
public record MovedProperties(String oldPid, String newPid, Predicate<String> moved) {

    /**
     * @param admin where the old PID's configuration is kept
     * @return one warning for each moved property the old PID still sets
     * @throws IOException if Config Admin cannot be read
     */
    public List<String> warnings(ConfigurationAdmin admin) throws IOException {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + oldPid + ")");
            Dictionary<String, Object> properties = found == null ? null : found[0].getProperties();
            return properties == null ? List.of() : warnings(Collections.list(properties.keys()).stream()
                    .collect(Collectors.toMap(key -> key, properties::get)));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a PID: " + oldPid, e);
        }
    }

    /**
     * @param oldProperties the old PID's configuration
     * @return one warning for each moved property it still sets, in the order of the names
     */
    public List<String> warnings(Map<String, ?> oldProperties) {
        return oldProperties.keySet().stream().filter(moved).sorted()
                .map(name -> "Configuration " + oldPid + " sets " + name + ", which belongs to " + newPid
                        + " now: move it to etc/" + newPid + ".cfg (it is read from " + oldPid
                        + " while " + newPid + " does not set it)")
                .toList();
    }
}
