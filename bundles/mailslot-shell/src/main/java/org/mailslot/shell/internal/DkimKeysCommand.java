package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeys;

@Service
@Command(scope = "mailslot", name = "dkim-keys",
        description = "Lists the DKIM signing keys: domain, selector, algorithm, key file and whether it can be used.")
public class DkimKeysCommand implements Action {

    @Reference(optional = true)
    DkimKeys keys;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Domain");
        table.column("Selector");
        table.column("Algorithm");
        table.column("Key file");
        table.column("State");
        for (DkimKey key : DkimShell.keys(keys).keys()) {
            table.addRow().addContent(key.domain(), key.selector(), key.algorithm().map(DkimAlgorithm::tag).orElse("-"),
                    key.keyFile(), key.problem().orElse("signing"));
        }
        table.print(System.out);
        return null;
    }
}
