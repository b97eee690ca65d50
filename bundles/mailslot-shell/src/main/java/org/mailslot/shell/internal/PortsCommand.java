package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "mailslot", name = "ports",
        description = "Lists the port strategies: TLS mode, AUTH policy and role, which one is in force for each port, and where each came from.")
public class PortsCommand implements Action {

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        Tables.portStrategies(PortStrategyRows.of(context), System.out);
        return null;
    }
}
