package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;

@Service
@Command(scope = "mailslot", name = "accounts",
        description = "Lists the retrieval accounts (etc/org.mailslot.account-NAME.cfg): protocol and server, state,"
                + " last synchronisation, messages retrieved since start, messages waiting for a handler, last error.")
public class AccountsCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    // Optional, so that one missing service does not hold back every command of this bundle.
    @Reference(optional = true)
    Accounts accounts;

    @Option(name = "--json", description = "Print one JSON object instead of the table (fields: README.md, Scripting the shell)")
    boolean json;

    @Override
    public Object execute() {
        List<AccountStatus> rows = Services.require(accounts, Accounts.class, "mailslot-retrieval").list();
        if (json) {
            System.out.println(JsonForms.accounts(rows));
        } else {
            print(rows, System.out);
        }
        return null;
    }

    static void print(List<AccountStatus> rows, PrintStream out) {
        if (rows.isEmpty()) {
            out.println("No accounts configured (factory PID org.mailslot.account, e.g. etc/org.mailslot.account-work.cfg)");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Protocol");
        table.column("Server");
        table.column("State");
        table.column("Last sync");
        table.column("Retrieved").alignRight();
        table.column("Pending").alignRight();
        table.column("Last error");
        rows.forEach(row -> table.addRow().addContent(row.name(), row.protocol(), row.server(), row.state(),
                row.lastSync().map(TIME::format).orElse("never"), row.retrieved(), row.pending(),
                row.lastError().orElse("")));
        table.print(out);
    }
}
