package org.mailslot.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.mailslot.api.config.FactoryConfigurations;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Turns the SCR runtime's view of a component into rows an operator can act on. */
final class ComponentStates {

    static final String ACTIVE = "active";
    static final String SATISFIED = "satisfied";
    static final String UNSATISFIED = "unsatisfied";
    static final String FAILED = "failed";
    static final String DISABLED = "disabled";
    static final String UNCONFIGURED = "unconfigured";
    static final String STOPPED = "stopped";

    /**
     * One component configuration, or one component that has none.
     *
     * @param component the component name, with the configuration PID for factory instances
     * @param bundle the bundle's symbolic name
     * @param state one of the constants of this class
     * @param detail why it is not active, or an empty string
     */
    record Row(String component, String bundle, String state, String detail) {

        boolean healthy() {
            return state.equals(ACTIVE) || state.equals(SATISFIED) || state.equals(UNCONFIGURED);
        }
    }

    private ComponentStates() {
    }

    static List<Row> rows(ComponentDescriptionDTO description, boolean enabled,
            Collection<ComponentConfigurationDTO> configurations) {
        String bundle = bundleName(description);
        if (!enabled) {
            return List.of(new Row(description.name, bundle, DISABLED, "enable with scr:enable " + description.name));
        }
        if (configurations.isEmpty()) {
            String pids = String.join(", ", description.configurationPid);
            String detail = "require".equals(description.configurationPolicy)
                    ? "no configuration " + pids + " (etc/" + description.configurationPid[0] + "-NAME.cfg)"
                    : "not created";
            return List.of(new Row(description.name, bundle, UNCONFIGURED, detail));
        }
        List<Row> rows = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            rows.add(new Row(instanceName(description, configuration), bundle,
                    stateName(configuration.state), detail(description, configuration)));
        }
        return rows;
    }

    private static String instanceName(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        if (configuration.properties == null || configuration.properties.get("service.factoryPid") == null) {
            return description.name;
        }
        return description.name + " [" + FactoryConfigurations.instanceName(configuration.properties) + "]";
    }

    private static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> ACTIVE;
            case ComponentConfigurationDTO.SATISFIED -> SATISFIED;
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> FAILED;
            default -> UNSATISFIED;
        };
    }

    private static String detail(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        return switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                    "waiting for configuration " + String.join(", ", description.configurationPid);
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "missing " + Arrays.stream(configuration.unsatisfiedReferences)
                    .map(reference -> describe(description, reference))
                    .collect(Collectors.joining("; "));
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> rootCause(configuration.failure);
            default -> "";
        };
    }

    private static String describe(ComponentDescriptionDTO description, UnsatisfiedReferenceDTO unsatisfied) {
        String service = Arrays.stream(description.references)
                .filter(reference -> reference.name.equals(unsatisfied.name))
                .map(reference -> reference.interfaceName)
                .findFirst()
                .orElse("?");
        String target = unsatisfied.target == null ? "" : " " + unsatisfied.target;
        return unsatisfied.name + " (" + service + target + ")";
    }

    private static String bundleName(ComponentDescriptionDTO description) {
        return description.bundle == null ? "?" : description.bundle.symbolicName;
    }

    /** The root cause's message: SCR reports the whole stack trace, wrapped exceptions first. */
    private static String rootCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "activation failed";
        }
        List<String> lines = failure.lines().map(String::trim).toList();
        String line = lines.get(0);
        for (String candidate : lines) {
            if (candidate.startsWith("Caused by: ")) {
                line = candidate.substring("Caused by: ".length());
            }
        }
        int colon = line.indexOf(": ");
        return colon > 0 && line.substring(0, colon).matches("[\\w.$]+(Exception|Error)") ? line.substring(colon + 2) : line;
    }
}
