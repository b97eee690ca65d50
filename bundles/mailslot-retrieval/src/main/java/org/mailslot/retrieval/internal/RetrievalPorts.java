package org.mailslot.retrieval.internal;

import java.util.Map;

import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.PortStrategyTable;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The port strategies in force, for the accounts to look up per connection. */
@Component(service = RetrievalPorts.class)
public final class RetrievalPorts {

    private final PortStrategyTable table = new PortStrategyTable();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addStrategy(PortStrategy strategy, Map<String, Object> properties) {
        table.add(strategy, properties);
    }

    public void removeStrategy(PortStrategy strategy) {
        table.remove(strategy);
    }

    PortStrategyTable table() {
        return table;
    }
}
