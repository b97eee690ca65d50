package org.mailslot.shell.internal;

import java.io.IOException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.retrieval.Accounts;

@Service
@Command(scope = "mailslot", name = "fetch",
        description = "Synchronises a retrieval account now (cutting an IDLE or a poll wait short) and says how many new"
                + " messages were stored locally.")
public class FetchCommand implements Action {

    @Reference(optional = true)
    Accounts accounts;

    @Argument(index = 0, name = "name", description = "The account's name, as mailslot:accounts shows it", required = true)
    @Completion(AccountNameCompleter.class)
    String name;

    @Override
    public Object execute() throws IOException {
        int stored = Services.require(accounts, Accounts.class, "mailslot-retrieval").fetch(name);
        System.out.println(name + ": " + stored + (stored == 1 ? " new message" : " new messages"));
        return null;
    }
}
