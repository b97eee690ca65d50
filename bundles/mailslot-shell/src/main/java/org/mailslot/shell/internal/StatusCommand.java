package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tls.TlsStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

@Service
@Command(scope = "mailslot", name = "status",
        description = "Shows every Mailslot component with its state and why it is not active, and the port strategies.")
public class StatusCommand implements Action {

    @Reference
    ServiceComponentRuntime runtime;

    @Reference
    BundleContext context;

    @Reference(optional = true)
    TlsService tls;

    @Override
    public Object execute() {
        TlsService current = tls;
        print(MailslotComponents.rows(runtime, context), PortStrategyRows.of(context),
                current == null ? null : current.status(), System.out);
        return null;
    }

    static void print(List<ComponentStates.Row> components, List<PortStrategyRows.Row> strategies, TlsStatus tls,
            PrintStream out) {
        long unhealthy = components.stream().filter(row -> !row.healthy()).count();
        out.println("Mailslot: " + components.size() + " components, "
                + (unhealthy == 0 ? "all active or satisfied" : unhealthy + " not running"));
        out.println();
        Tables.components(components, out);
        out.println();
        out.println("Port strategies:");
        Tables.portStrategies(strategies, out);
        out.println();
        out.println("TLS:");
        Tables.tls(tls, out);
    }
}
