package org.mailslot.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.mailslot.api.port.PortStrategy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The registered port strategies, one row each, marking the one in force for each port. */
final class PortStrategyRows {

    /**
     * @param port the port
     * @param role the role's configuration name
     * @param tlsMode the TLS mode's configuration name
     * @param authPolicy the AUTH policy's configuration name
     * @param ranking the service ranking
     * @param origin where the strategy came from
     * @param inForce whether it wins for its port
     */
    record Row(int port, String role, String tlsMode, String authPolicy, int ranking, String origin, boolean inForce) {
    }

    private PortStrategyRows() {
    }

    static List<Row> of(BundleContext context) {
        List<ServiceReference<PortStrategy>> references;
        try {
            references = new ArrayList<>(context.getServiceReferences(PortStrategy.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<Integer, Optional<ServiceReference<PortStrategy>>> winners = references.stream()
                .collect(Collectors.groupingBy(PortStrategyRows::port, Collectors.maxBy(Comparator.naturalOrder())));
        List<Row> rows = new ArrayList<>();
        for (ServiceReference<PortStrategy> reference : references) {
            PortStrategy strategy = context.getService(reference);
            if (strategy == null) {
                continue;
            }
            try {
                boolean inForce = winners.get(port(reference)).filter(reference::equals).isPresent();
                rows.add(new Row(port(reference), strategy.role().configName(), strategy.tlsMode().configName(),
                        strategy.authPolicy().configName(), ranking(reference), origin(reference), inForce));
            } finally {
                context.ungetService(reference);
            }
        }
        rows.sort(Comparator.comparingInt(Row::port).thenComparing(Comparator.comparingInt(Row::ranking).reversed()));
        return rows;
    }

    private static int port(ServiceReference<?> reference) {
        return reference.getProperty(PortStrategy.PORT) instanceof Number number ? number.intValue() : -1;
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    private static String origin(ServiceReference<?> reference) {
        Object origin = reference.getProperty(PortStrategy.ORIGIN);
        return origin != null ? origin.toString() : "bundle " + reference.getBundle().getSymbolicName();
    }
}
