package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.listener.Listeners;

@Service
@Command(scope = "mailslot", name = "listeners",
        description = "Lists the SMTP listeners (org.mailslot.listener~NAME): address and port, the strategy that governs"
                + " each, its TLS mode, whether it is bound or what it waits for, connections now and messages accepted.")
public class ListenersCommand implements Action {

    // Optional, so that one missing service does not hold back every command of this bundle.
    @Reference(optional = true)
    Listeners listeners;

    @Option(name = "--json", description = "Print one JSON object instead of the table (fields: README.md, Scripting the shell)")
    boolean json;

    @Override
    public Object execute() {
        List<ListenerStatus> rows = Services.require(listeners, Listeners.class, "mailslot-smtp-server").listeners();
        if (json) {
            System.out.println(JsonForms.listeners(rows));
        } else {
            print(rows, System.out);
        }
        return null;
    }

    static void print(List<ListenerStatus> rows, PrintStream out) {
        if (rows.isEmpty()) {
            out.println("No listeners configured (factory PID org.mailslot.listener, e.g. etc/org.mailslot.listener-submission.cfg)");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Address");
        table.column("Strategy").alignRight();
        table.column("TLS");
        table.column("State");
        table.column("Connections").alignRight();
        table.column("Accepted").alignRight();
        rows.forEach(row -> table.addRow().addContent(row.name(), row.address() + ":" + row.port(), row.strategyPort(),
                row.tlsMode().map(Object::toString).orElse("-"),
                row.detail().isEmpty() ? row.state().toString() : row.state() + ": " + row.detail(),
                row.connections(), row.messagesAccepted()));
        table.print(out);
    }
}
