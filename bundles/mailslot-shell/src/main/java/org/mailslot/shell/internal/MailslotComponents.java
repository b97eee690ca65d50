package org.mailslot.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Every Declarative Services component of Mailslot's bundles, as the SCR runtime sees it. */
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
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundles)) {
            rows.addAll(ComponentStates.rows(description, runtime.isComponentEnabled(description),
                    runtime.getComponentConfigurationDTOs(description)));
        }
        rows.sort(Comparator.comparing(ComponentStates.Row::component));
        return rows;
    }
}
