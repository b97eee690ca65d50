package org.mailslot.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;

/** Completes the names of the retrieval accounts. */
@Service
public class AccountNameCompleter implements Completer {

    @Reference(optional = true)
    Accounts accounts;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Accounts accounts = this.accounts;
        if (accounts == null) {
            return -1;
        }
        return new StringsCompleter(accounts.list().stream().map(AccountStatus::name).toList())
                .complete(session, commandLine, candidates);
    }
}
