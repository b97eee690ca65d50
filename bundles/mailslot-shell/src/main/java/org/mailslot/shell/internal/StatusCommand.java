package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tls.TlsStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

@Service
@Command(scope = "mailslot", name = "status",
        description = "Shows every Mailslot component with its state and why it is not active, the messages that wait "
                + "in the spool grouped by what they wait for, the port strategies, the TLS identity and the stages of"
                + " the outbound pipeline in the order they run.")
public class StatusCommand implements Action {

    @Reference
    ServiceComponentRuntime runtime;

    @Reference
    BundleContext context;

    @Reference(optional = true)
    TlsService tls;

    @Reference(optional = true)
    MailQueue queue;

    @Override
    public Object execute() {
        TlsService currentTls = tls;
        MailQueue currentQueue = queue;
        print(MailslotComponents.rows(runtime, context), currentQueue == null ? null : currentQueue.list(),
                PortStrategyRows.of(context), currentTls == null ? null : currentTls.status(), System.out);
        System.out.println();
        PipelineRows.print(PipelineRows.of(context), System.out);
        return null;
    }

    static void print(List<ComponentStates.Row> components, List<PortStrategyRows.Row> strategies, TlsStatus tls,
            PrintStream out) {
        print(components, null, strategies, tls, out);
    }

    /** @param spool the spool's entries, or null when no spool runs */
    static void print(List<ComponentStates.Row> components, List<QueueEntry> spool, List<PortStrategyRows.Row> strategies,
            TlsStatus tls, PrintStream out) {
        long unhealthy = components.stream().filter(row -> !row.healthy()).count();
        List<WaitingMessages.Group> waiting = spool == null ? List.of() : WaitingMessages.of(spool);
        out.println("Mailslot: " + components.size() + " components, "
                + (unhealthy == 0 ? "all active or satisfied" : unhealthy + " not running")
                + (spool == null ? "" : "; " + WaitingMessages.summary(spool.size(), waiting)));
        out.println();
        Tables.components(components, out);
        out.println();
        if (spool == null) {
            WaitingMessages.printUnavailable(out);
        } else {
            WaitingMessages.print(spool.size(), waiting, out);
        }
        out.println();
        out.println("Port strategies:");
        Tables.portStrategies(strategies, out);
        out.println();
        out.println("TLS:");
        Tables.tls(tls, out);
    }
}
