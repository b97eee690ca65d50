package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tls.TlsStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

@Service
@Command(scope = "mailslot", name = "status",
        description = "Shows every Mailslot component with its state and why it is not active, the messages that wait "
                + "in the spool grouped by what they wait for, the port strategies, the TLS identity and the stages of"
                + " the outbound pipeline in the order they run. Fails (exit status 1 through bin/mailslot and ssh) when a"
                + " component or Mailslot bundle is not running, or a message not held has waited longer than"
                + " status.max.wait of org.mailslot.shell (default 1h).")
public class StatusCommand implements Action {

    /** The exit status of an unhealthy {@code --json} status, which must print nothing but its JSON. */
    static final Integer UNHEALTHY = 1;

    @Reference
    ServiceComponentRuntime runtime;

    @Reference
    BundleContext context;

    @Reference(optional = true)
    TlsService tls;

    @Reference(optional = true)
    MailQueue queue;

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    @Option(name = "--max-wait", description = "Fail when a message not held has waited longer than this (30m, 2h, 1d, ...);"
            + " overrides status.max.wait of org.mailslot.shell (default 1h)")
    String maxWait;

    @Option(name = "--json", description = "Print one JSON object instead of the tables (fields: README.md, Scripting the shell)")
    boolean json;

    /** The time the spool's ages are measured against; tests set it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        Duration threshold = MaxWait.of(maxWait, configurationAdmin);
        TlsService currentTls = tls;
        MailQueue currentQueue = queue;
        List<ComponentStates.Row> components = MailslotComponents.rows(runtime, context);
        List<QueueEntry> spool = null;
        String unreadable = null;
        if (currentQueue != null) {
            try {
                spool = currentQueue.list();
            } catch (UncheckedIOException e) {
                unreadable = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            }
        }
        TlsStatus tlsStatus = currentTls == null ? null : currentTls.status();
        Health health = Health.of(components, spool, unreadable, threshold, clock.instant());
        if (json) {
            System.out.println(JsonForms.status(health, threshold, components, spool, PortStrategyRows.of(context),
                    tlsStatus, PipelineRows.of(context)));
            return health.healthy() ? null : UNHEALTHY;
        }
        print(components, spool, unreadable, PortStrategyRows.of(context), tlsStatus, System.out);
        System.out.println();
        PipelineRows.print(PipelineRows.of(context), System.out);
        if (!health.healthy()) {
            throw new IllegalStateException("Mailslot is not healthy: " + String.join("; ", health.problems()));
        }
        return null;
    }

    static void print(List<ComponentStates.Row> components, List<PortStrategyRows.Row> strategies, TlsStatus tls,
            PrintStream out) {
        print(components, null, strategies, tls, out);
    }

    /** @param spool the spool's entries, or null when no spool runs */
    static void print(List<ComponentStates.Row> components, List<QueueEntry> spool, List<PortStrategyRows.Row> strategies,
            TlsStatus tls, PrintStream out) {
        print(components, spool, null, strategies, tls, out);
    }

    /**
     * @param spool the spool's entries, or null when no spool runs or they could not be read
     * @param unreadable why they could not be read, or null
     */
    static void print(List<ComponentStates.Row> components, List<QueueEntry> spool, String unreadable,
            List<PortStrategyRows.Row> strategies, TlsStatus tls, PrintStream out) {
        long unhealthy = components.stream().filter(row -> !row.healthy()).count();
        List<WaitingMessages.Group> waiting = spool == null ? List.of() : WaitingMessages.of(spool);
        out.println("Mailslot: " + components.size() + " components, "
                + (unhealthy == 0 ? "all active or satisfied" : unhealthy + " not running")
                + (spool == null ? "" : "; " + WaitingMessages.summary(spool.size(), waiting)));
        out.println();
        Tables.components(components, out);
        out.println();
        if (unreadable != null) {
            out.println("Spool: the queue cannot be read: " + unreadable);
        } else if (spool == null) {
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
