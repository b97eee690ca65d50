package org.mailslot.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Every Declarative Services component of Mailslot's bundles, as the SCR runtime sees it, and every
 * Mailslot bundle that is not started: the runtime does not see the components of a stopped bundle.
 */
final class MailslotComponents {

    /** Bundles whose symbolic name starts with this are Mailslot's own. */
    static final String BUNDLE_PREFIX = "org.mailslot.";

    private MailslotComponents() {
    }

    static List<ComponentStates.Row> rows(ServiceComponentRuntime runtime, BundleContext context) {
        Bundle[] bundles = Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith(BUNDLE_PREFIX))
                .toArray(Bundle[]::new);
        List<ComponentStates.Row> rows = new ArrayList<>();
        if (bundles.length == 0) {
            return rows;
        }
        for (Bundle bundle : bundles) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING
                    && bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                rows.add(new ComponentStates.Row(bundle.getSymbolicName(), bundle.getSymbolicName(), ComponentStates.STOPPED,
                        "bundle " + bundle.getBundleId() + " is not started (bundle:start " + bundle.getBundleId() + ")"));
            }
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundles)) {
            rows.addAll(ComponentStates.rows(description, runtime.isComponentEnabled(description),
                    runtime.getComponentConfigurationDTOs(description)));
        }
        rows.sort(Comparator.comparing(ComponentStates.Row::component));
        return rows;
    }
}
